using SafetySurveillance.Storage.Trusts;
using Xunit;

namespace SafetySurveillance.Functions.Tests.Trusts;

public sealed class TrustKeyHasherTests
{
    private static readonly TrustKeyHasher Hasher = new(new byte[32], "s1");

    [Fact]
    public void New_keys_are_well_formed_distinct_and_carry_the_prefix()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => TrustKeyHasher.NewKey()).ToList();

        Assert.All(keys, k => Assert.True(TrustKeyHasher.IsWellFormed(k)));
        Assert.All(keys, k => Assert.StartsWith("sstk1_", k, StringComparison.Ordinal));
        Assert.Equal(100, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sstk1_")]
    [InlineData("sstk1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sstk1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("sstk1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A")]
    [InlineData("sstk2_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_keys_are_recognised(string key) => Assert.False(TrustKeyHasher.IsWellFormed(key));

    [Fact]
    public void A_hash_verifies_its_key_for_its_trust_only()
    {
        var key = TrustKeyHasher.NewKey();
        var hash = Hasher.Hash("RJ1", key);

        Assert.True(Hasher.Verify("RJ1", key, hash));
        Assert.False(Hasher.Verify("RJ2", key, hash));
        Assert.False(Hasher.Verify("RJ1", TrustKeyHasher.NewKey(), hash));
        Assert.DoesNotContain(key[6..], hash, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hash_made_under_another_secret_does_not_verify()
    {
        var key = TrustKeyHasher.NewKey();
        var other = new TrustKeyHasher(Enumerable.Repeat((byte)1, 32).ToArray(), "s1");
        var renamed = new TrustKeyHasher(new byte[32], "s2");

        Assert.False(other.Verify("RJ1", key, Hasher.Hash("RJ1", key)));
        Assert.False(renamed.Verify("RJ1", key, Hasher.Hash("RJ1", key)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.s1.AAAA")]
    [InlineData("v2.s1.AAAAAAAAAAAAAAAAAAAAAA.AAAA")]
    [InlineData("v1.s1.!!!.AAAA")]
    public void Malformed_stored_hashes_never_verify(string? stored) =>
        Assert.False(Hasher.Verify("RJ1", TrustKeyHasher.NewKey(), stored));

    [Fact]
    public void The_secret_derived_from_the_pseudonymisation_key_is_stable_and_differs_per_key()
    {
        var key = TrustKeyHasher.NewKey();
        var a = TrustKeyHasher.FromPseudonymisationKey(Convert.ToBase64String(new byte[32]), "k1");
        var sameAgain = TrustKeyHasher.FromPseudonymisationKey(Convert.ToBase64String(new byte[32]), "k1");
        var otherKey = TrustKeyHasher.FromPseudonymisationKey(Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray()), "k1");

        var hash = a.Hash("RJ1", key);

        Assert.True(sameAgain.Verify("RJ1", key, hash));
        Assert.False(otherKey.Verify("RJ1", key, hash));
    }

    [Fact]
    public void Short_secrets_are_refused() =>
        Assert.Throws<ArgumentException>(() => new TrustKeyHasher(new byte[31], "s1"));

    [Fact]
    public void An_issued_key_does_not_print_its_secret()
    {
        var key = TrustKeyHasher.NewKey();
        var issued = new IssuedTrustKey("RJ1", key, new TrustKeyInfo(TrustKeyHasher.Fingerprint(key), DateTimeOffset.UnixEpoch));

        Assert.DoesNotContain(key, issued.ToString(), StringComparison.Ordinal);
    }
}
