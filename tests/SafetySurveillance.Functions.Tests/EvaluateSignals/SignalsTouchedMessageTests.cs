using System.Text;
using SafetySurveillance.Domain.Signals;
using SafetySurveillance.Functions.EvaluateSignals;
using Xunit;

namespace SafetySurveillance.Functions.Tests.EvaluateSignals;

public sealed class SignalsTouchedMessageTests
{
    private static SignalKey Key(string procedure, SignalPeriod period, string trust = "RX1") => SignalKey.Create(procedure, period, SignalScope.Trust(trust));

    [Fact]
    public void A_batch_is_announced_as_its_distinct_partitions_in_one_message()
    {
        var march = SignalPeriod.Month(2026, 3);
        SignalKey[] keys =
        [
            Key("A48.4", march), Key("A48.4", march, "RY2"), SignalKey.Create("A48.4", march, SignalScope.National),
            Key("A48.4", SignalPeriod.AllTime), Key("A48.5", march),
        ];

        var message = Assert.Single(SignalsTouchedMessage.Compose(keys));

        Assert.Equal(
            [new TouchedPartition("A48.4", "2026-03"), new TouchedPartition("A48.4", "all"), new TouchedPartition("A48.5", "2026-03")],
            message.Partitions);
        Assert.Equal(message.Partitions, SignalsTouchedMessage.TryParse(message.ToJson())!.Partitions);
    }

    [Fact]
    public void No_keys_means_no_message()
    {
        Assert.Empty(SignalsTouchedMessage.Compose([]));
    }

    [Fact]
    public void A_long_list_is_split_so_every_message_stays_under_the_queue_limit_once_base64_encoded()
    {
        var keys = new List<SignalKey>();
        for (int year = 1900; year < 2100; year++)
        {
            for (int month = 1; month <= 12; month++)
            {
                keys.Add(Key("A48.4", SignalPeriod.Month(year, month)));
                keys.Add(Key("A48.5", SignalPeriod.Month(year, month)));
            }
        }

        var messages = SignalsTouchedMessage.Compose(keys);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.True(Convert.ToBase64String(Encoding.UTF8.GetBytes(m.ToJson())).Length < 64 * 1024));
        Assert.All(messages, m => Assert.True(Encoding.UTF8.GetByteCount(m.ToJson()) <= SignalsTouchedMessage.MaxJsonBytes));
        Assert.Equal(keys.Count, messages.Sum(m => m.Partitions.Count));
        Assert.Equal(keys.Count, messages.SelectMany(m => m.Partitions).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"partitions\":[{\"procedure\":\"A48.4\"}]}")]
    [InlineData("null")]
    public void Text_that_is_not_a_message_does_not_parse(string text)
    {
        Assert.Null(SignalsTouchedMessage.TryParse(text));
    }
}
