using SafetySurveillance.Domain.Statistics;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Statistics;

public sealed class OverdispersionTests
{
    private static readonly UnitProportion[] SpreadTrusts =
    [
        new(1, 100), new(2, 80), new(3, 120), new(5, 90), new(8, 110), new(12, 100),
        new(15, 150), new(20, 200), new(4, 60), new(6, 75), new(9, 130), new(25, 160),
    ];

    // Oracle (R 4.2.2):
    //   od <- function(x, n, p0, q = 0.1) { s <- sqrt(p0 * (1 - p0) / n); z <- (x / n - p0) / s
    //     lim <- quantile(z, c(q, 1 - q), type = 7); zw <- pmin(pmax(z, lim[1]), lim[2]); I <- length(z)
    //     phi <- sum(zw^2) / I; w <- 1 / s^2
    //     tau2 <- max(0, (I * phi - (I - 1)) / (sum(w) - sum(w^2) / sum(w))); c(phi, tau2, lim) }
    //   od(c(1,2,3,5,8,12,15,20,4,6,9,25), c(100,80,120,90,110,100,150,200,60,75,130,160), 0.08)
    [Fact]
    public void Winsorised_phi_and_tau2_match_the_R_computation()
    {
        OverdispersionEstimate estimate = Overdispersion.Estimate(0.08, SpreadTrusts);
        Assert.Equal(1.66266833461450391773, estimate.Phi, 1e-13);
        Assert.Equal(0.00052812430077874158, estimate.Tau2, 1e-16);
        Assert.Equal(-2.18007244157478075053, estimate.WinsorLower, 1e-13);
        Assert.Equal(1.43123481242261174629, estimate.WinsorUpper, 1e-13);
        Assert.True(estimate.IsOverdispersed);
        Assert.Equal(12, estimate.Units);
    }

    [Fact]
    public void Limits_widened_by_phi_and_by_tau2_match_the_R_computation()
    {
        // R: p0 + qnorm(0.999) * sqrt(phi) * sqrt(p0 * (1 - p0) / 100); p0 + qnorm(0.999) * sqrt(p0 * (1 - p0) / 100 + tau2)
        //    p0 - qnorm(0.975) * sqrt(phi) * sqrt(p0 * (1 - p0) / 100)
        OverdispersionEstimate estimate = Overdispersion.Estimate(0.08, SpreadTrusts);
        Assert.Equal(0.188101780849247, FunnelLimits.NormalMultiplicative(0.08, 100, 0.998, estimate.Phi).Upper, 1e-13);
        Assert.Equal(0.189871744080151, FunnelLimits.NormalAdditive(0.08, 100, 0.998, estimate.Tau2).Upper, 1e-13);
        Assert.Equal(0.011437000154881, FunnelLimits.NormalMultiplicative(0.08, 100, 0.95, estimate.Phi).Lower, 1e-13);
    }

    [Fact]
    public void Under_dispersed_units_leave_the_limits_unwidened()
    {
        // R: od(c(5,6,4,5,7,5,4,6,5,5), rep(100, 10), 0.05) gives phi 0.10968421052631575, tau2 0
        UnitProportion[] tight = [new(5, 100), new(6, 100), new(4, 100), new(5, 100), new(7, 100), new(5, 100), new(4, 100), new(6, 100), new(5, 100), new(5, 100)];
        OverdispersionEstimate estimate = Overdispersion.Estimate(0.05, tight);
        Assert.Equal(0.10968421052631575, estimate.Phi, 1e-13);
        Assert.Equal(0.0, estimate.Tau2);
        Assert.False(estimate.IsOverdispersed);
        Assert.Equal(FunnelLimits.Normal(0.05, 100, 0.998), FunnelLimits.NormalMultiplicative(0.05, 100, 0.998, estimate.Phi));
    }

    [Fact]
    public void Winsorising_pulls_an_extreme_unit_in_to_the_ninetieth_centile()
    {
        UnitProportion[] withOutlier = [.. SpreadTrusts[..11], new(90, 160)];
        OverdispersionEstimate estimate = Overdispersion.Estimate(0.08, withOutlier);
        OverdispersionEstimate unchangedOutlierRank = Overdispersion.Estimate(0.08, [.. SpreadTrusts[..11], new(150, 160)]);
        Assert.Equal(estimate.Phi, unchangedOutlierRank.Phi, 1e-12);
    }

    [Fact]
    public void No_units_or_impossible_units_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Overdispersion.Estimate(0.05, ReadOnlySpan<UnitProportion>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => Overdispersion.Estimate(0.05, [new UnitProportion(1, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Overdispersion.Estimate(0.05, [new UnitProportion(3, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Overdispersion.Estimate(0.0, [new UnitProportion(1, 2)]));
    }
}
