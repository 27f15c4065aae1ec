using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using SafetySurveillance.CustomHandler.Bindings;
using SafetySurveillance.Functions.Access;
using SafetySurveillance.Functions.Dashboard;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Dashboard;

public sealed class DashboardApiTests
{
    [Fact]
    public async Task With_no_authenticator_registered_every_request_is_refused_with_401()
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var request = new HttpRequestData { Headers = { ["Authorization"] = ["Bearer anything"] } };

        Authentication answer = await DashboardApi.AuthenticateAsync(services, request, TestContext.Current.CancellationToken);

        Assert.Null(answer.Caller);
        Assert.Equal(401, answer.DeniedStatus);
    }

    [Fact]
    public async Task A_denial_without_a_4xx_status_becomes_403()
    {
        var authenticator = Substitute.For<ICallerAuthenticator>();
        authenticator.AuthenticateAsync(Arg.Any<HttpRequestData>(), Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromResult(Authentication.Deny(0, "no")));
        using var services = new ServiceCollection().AddSingleton(authenticator).BuildServiceProvider();

        Authentication answer = await DashboardApi.AuthenticateAsync(services, new HttpRequestData(), TestContext.Current.CancellationToken);

        Assert.Equal(403, answer.DeniedStatus);
    }
}
