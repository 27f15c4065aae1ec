using System.Text;
using SafetySurveillance.EventHubs.Emulator.Publishing;
using Xunit;

namespace SafetySurveillance.EventHubs.Emulator.Tests.Protocol;

public sealed class PartitionKeyHasherTests
{
    // Test vectors printed by driver5() in Bob Jenkins' lookup3.c.
    [Theory]
    [InlineData("", 0u, 0u, 0xdeadbeefu, 0xdeadbeefu)]
    [InlineData("", 0u, 0xdeadbeefu, 0xbd5b7ddeu, 0xdeadbeefu)]
    [InlineData("", 0xdeadbeefu, 0xdeadbeefu, 0x9c093ccdu, 0xbd5b7ddeu)]
    [InlineData("Four score and seven years ago", 0u, 0u, 0x17770551u, 0xce7226e6u)]
    [InlineData("Four score and seven years ago", 0u, 1u, 0xe3607caeu, 0xbd371de4u)]
    [InlineData("Four score and seven years ago", 1u, 0u, 0xcd628161u, 0x6cbea4b3u)]
    public void Lookup3_hashlittle2_matches_the_reference_vectors(string key, uint primarySeed, uint secondarySeed, uint expectedC, uint expectedB)
    {
        PartitionKeyHasher.HashLittle2(Encoding.UTF8.GetBytes(key), primarySeed, secondarySeed, out var c, out var b);

        Assert.Equal(expectedC, c);
        Assert.Equal(expectedB, b);
    }

    [Fact]
    public void The_same_key_always_maps_to_the_same_partition_and_keys_spread_over_all_partitions()
    {
        var keys = Enumerable.Range(0, 400).Select(i => $"trust-{i}").ToList();
        var first = keys.Select(k => PartitionKeyHasher.PartitionIndex(k, 8)).ToList();
        var second = keys.Select(k => PartitionKeyHasher.PartitionIndex(k, 8)).ToList();

        Assert.Equal(first, second);
        Assert.All(first, p => Assert.InRange(p, 0, 7));
        Assert.Equal(8, first.Distinct().Count());
    }
}
