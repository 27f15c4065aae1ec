using System.Security.Cryptography;
using System.Text;
using CsCheck;
using SafetySurveillance.Domain.Ingestion;
using Xunit;

namespace SafetySurveillance.Domain.Tests.Ingestion;

public sealed class EventLedgerTests
{
    [Fact]
    public void A_fingerprint_is_the_first_128_bits_of_SHA256_of_the_UTF8_id()
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("évènement-42"))[..16];
        var actual = new byte[16];

        EventFingerprint.Of("évènement-42").Write(actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_long_id_is_fingerprinted_like_a_short_one()
    {
        var id = new string('x', 5000);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(id))[..16];
        var actual = new byte[16];

        EventFingerprint.Of(id).Write(actual);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_first_copy_is_new_a_resend_is_a_duplicate_and_the_same_delivery_is_a_redelivery()
    {
        var index = new EventLedgerIndex();
        var id = EventFingerprint.Of("a");

        Assert.Equal(LedgerVerdict.New, index.Record(id, partition: 2, sequenceNumber: 10));
        Assert.Equal(LedgerVerdict.Duplicate, index.Record(id, partition: 2, sequenceNumber: 11));
        Assert.Equal(LedgerVerdict.Duplicate, index.Record(id, partition: 3, sequenceNumber: 10));
        Assert.Equal(LedgerVerdict.Redelivery, index.Record(id, partition: 2, sequenceNumber: 10));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Forgetting_unstored_entries_makes_them_new_again_but_keeps_older_ones()
    {
        var index = new EventLedgerIndex();
        index.Load([new LedgerEntry(EventFingerprint.Of("old"), 0, 1)]);
        index.Record(EventFingerprint.Of("fresh"), 0, 2);

        index.Forget([new LedgerEntry(EventFingerprint.Of("fresh"), 0, 2), new LedgerEntry(EventFingerprint.Of("old"), 0, 99)]);

        Assert.Equal(LedgerVerdict.New, index.Classify(EventFingerprint.Of("fresh"), 0, 5));
        Assert.Equal(LedgerVerdict.Duplicate, index.Classify(EventFingerprint.Of("old"), 0, 5));
    }

    [Fact]
    public void Entries_survive_encoding_into_blocks_that_fit_a_table_property()
    {
        var gen = Gen.Select(Gen.ULong, Gen.ULong, Gen.Int[0, 31], Gen.Long[0, long.MaxValue])
            .Select((h, l, p, s) => new LedgerEntry(new EventFingerprint(h, l), p, s))
            .List[0, 5000];

        gen.Sample(entries =>
        {
            var blocks = LedgerChunkCodec.Encode(entries);
            var decoded = blocks.SelectMany(LedgerChunkCodec.Decode).ToList();
            return decoded.SequenceEqual(entries) && blocks.All(b => b.Length <= LedgerChunkCodec.MaxBlockBytes);
        }, iter: 200);
    }

    [Fact]
    public void A_truncated_block_is_refused()
    {
        Assert.Throws<FormatException>(() => LedgerChunkCodec.Decode(new byte[LedgerChunkCodec.EntrySize + 1]).ToList());
    }
}
