using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SafetySurveillance.Storage.DeadLetters;
using Xunit;

namespace SafetySurveillance.Functions.Tests.SubmitEvents;

[Collection(GatewayCollection.Name)]
public sealed class SubmitEventsTests(GatewayFixture gateway)
{
    private const string Batch = "application/cloudevents-batch+json";
    private const string Single = "application/cloudevents+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Key(string key) => new() { ["x-trust-key"] = key };

    [Fact]
    public async Task A_valid_batch_is_answered_202_and_arrives_on_the_hub_through_the_trusts_publisher_byte_for_byte()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var events = new[] { Samples.Procedure(ods, "p-1"), Samples.Outcome(ods, "o-1"), Samples.Outcome(ods, "o-2") };
        var body = Samples.Batch(events);

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal(3, (int)answer.Body!["accepted"]!);
        Assert.Equal(["p-1", "o-1", "o-2"], answer.Events.Select(e => (string)e!["id"]!));
        Assert.All(answer.Events, e => Assert.Equal("accepted", (string)e!["status"]!));
        var received = await gateway.EventsFromPublisherAsync(ods, Ct);
        Assert.Equal(events.Select(e => e.ToJsonString()), received.Select(e => Encoding.UTF8.GetString(e.Body.Span)));
        Assert.All(received, e => Assert.Equal("application/cloudevents+json", e.ContentType));
        Assert.All(received, e => Assert.Equal(ods, e.PublisherName));
        Assert.All(received, e => Assert.Equal(ods, e.SystemProperties["x-opt-publisher"]));
        Assert.Empty(await gateway.DeadLettersOfAsync(ods, Ct));
    }

    [Fact]
    public async Task A_single_event_with_the_key_in_the_authorization_header_is_accepted()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var headers = new Dictionary<string, string> { ["Authorization"] = "TrustKey " + key };

        var answer = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "single-1").ToJsonString(), Single, headers, Ct);

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal("single-1", (string)answer.Event(0)["id"]!);
        Assert.Single(await gateway.EventsFromPublisherAsync(ods, Ct));
    }

    [Fact]
    public async Task Header_names_are_matched_whatever_their_case()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var headers = new Dictionary<string, string> { ["X-Trust-Key"] = key, ["content-type"] = "application/cloudevents+json; charset=utf-8" };

        var answer = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "case-1").ToJsonString(), contentType: null, headers, Ct);

        Assert.Equal(202, answer.StatusCode);
    }

    [Fact]
    public async Task A_request_whose_query_and_identities_the_host_wrote_as_json_strings_is_handled()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);

        var answer = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "q-1").ToJsonString(), Single, Key(key), Ct, hostEncodesQueryAsString: true);

        Assert.Equal(202, answer.StatusCode);
    }

    [Fact]
    public async Task A_batch_with_invalid_events_is_answered_207_with_every_problem_and_only_the_valid_events_are_forwarded()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var bad = Samples.Outcome(ods, "o-bad");
        bad["data"]!["painNrs"] = 11;
        bad["data"]!["odi"] = 101;
        var good = Samples.Outcome(ods, "o-good");

        var answer = await gateway.SubmitAsync(ods, Samples.Batch(good, bad), Batch, Key(key), Ct);

        Assert.Equal(207, answer.StatusCode);
        Assert.Equal(1, (int)answer.Body!["accepted"]!);
        Assert.Equal(1, (int)answer.Body!["rejected"]!);
        Assert.Equal("rejected", (string)answer.Event(1)["status"]!);
        Assert.Equal("o-bad", (string)answer.Event(1)["id"]!);
        var problems = answer.Problems(1);
        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p.StartsWith("data.painNrs: ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("data.odi: ", StringComparison.Ordinal));

        var received = Assert.Single(await gateway.EventsFromPublisherAsync(ods, Ct));
        Assert.Equal(good.ToJsonString(), Encoding.UTF8.GetString(received.Body.Span));

        var letter = Assert.Single(await gateway.DeadLettersOfAsync(ods, Ct));
        Assert.Equal(-1, letter.GetInt32("Partition"));
        Assert.StartsWith("gw-", letter.RowKey, StringComparison.Ordinal);
        Assert.Equal("o-bad", letter.GetString("EventId"));
        Assert.Equal(2, letter.GetInt32("ProblemCount"));
        Assert.Contains("data.painNrs", letter.GetString("Reason"), StringComparison.Ordinal);
        Assert.Equal(bad.ToJsonString(), Encoding.UTF8.GetString(await gateway.DeadLetterStore.ReadPayloadAsync(ods, letter.RowKey, Ct)));
    }

    [Fact]
    public async Task An_event_whose_source_is_another_trust_is_rejected_and_not_forwarded()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var (other, _) = await gateway.NewTrustAsync(Ct);
        var foreign = Samples.Outcome(other, "foreign-1");

        var answer = await gateway.SubmitAsync(ods, foreign.ToJsonString(), Single, Key(key), Ct);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("events_rejected", (string)answer.Body!["error"]!);
        var problem = Assert.Single(answer.Problems(0));
        Assert.StartsWith("source: '/trusts/" + other + "'", problem, StringComparison.Ordinal);
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
        Assert.Empty(await gateway.EventsFromPublisherAsync(other, Ct));
        var letter = Assert.Single(await gateway.DeadLettersOfAsync(ods, Ct));
        Assert.StartsWith("source:", letter.GetString("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_a_missing_key_and_an_unknown_trust_get_the_same_401_and_nothing_is_kept_or_forwarded()
    {
        var (ods, _) = await gateway.NewTrustAsync(Ct);
        var (_, otherKey) = await gateway.NewTrustAsync(Ct);
        var unknown = GatewayFixture.NewOdsCode();

        var wrong = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "w-1").ToJsonString(), Single, Key(otherKey), Ct);
        var missing = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "w-2").ToJsonString(), Single, null, Ct);
        var notATrust = await gateway.SubmitAsync(unknown, Samples.Outcome(unknown, "w-3").ToJsonString(), Single, Key(otherKey), Ct);

        Assert.All([wrong, missing, notATrust], a => Assert.Equal(401, a.StatusCode));
        Assert.All([wrong, missing, notATrust], a => Assert.Equal("TrustKey", a.Headers["WWW-Authenticate"]));
        Assert.Equal(wrong.Body!.ToJsonString(), missing.Body!.ToJsonString());
        Assert.Equal(wrong.Body!.ToJsonString(), notATrust.Body!.ToJsonString());
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
        Assert.Empty(await gateway.DeadLettersOfAsync(ods, Ct));
        Assert.Empty(await gateway.DeadLettersOfAsync(unknown, Ct));
    }

    [Theory]
    [InlineData("rj1")]
    [InlineData("R")]
    [InlineData("RJ1/..")]
    [InlineData("RJ#1")]
    [InlineData("TOOLONG")]
    public async Task A_malformed_ods_code_in_the_route_gets_400(string ods)
    {
        var (_, key) = await gateway.NewTrustAsync(Ct);

        var answer = await gateway.SubmitAsync(ods, "{}", Single, Key(key), Ct);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("invalid_ods_code", (string)answer.Body!["error"]!);
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_with_413_and_nothing_is_forwarded()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var events = Enumerable.Range(0, 400).Select(i =>
        {
            var e = Samples.Outcome(ods, $"big-{i}");
            e["padding"] = new string('x', 3000);
            return (JsonNode)e;
        }).ToArray();
        var body = Samples.Batch(events);
        Assert.True(Encoding.UTF8.GetByteCount(body) > 1024 * 1024);

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(413, answer.StatusCode);
        Assert.Equal("payload_too_large", (string)answer.Body!["error"]!);
        Assert.Contains("1048576", (string)answer.Body!["message"]!, StringComparison.Ordinal);
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
    }

    [Fact]
    public async Task More_than_500_events_in_a_batch_are_refused_with_413()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var body = Samples.Batch([.. Enumerable.Range(0, 501).Select(i => (JsonNode)Samples.Outcome(ods, $"many-{i}"))]);

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(413, answer.StatusCode);
        Assert.Equal("too_many_events", (string)answer.Body!["error"]!);
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
    }

    [Fact]
    public async Task Exactly_500_events_are_accepted_and_forwarded()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var body = Samples.Batch([.. Enumerable.Range(0, 500).Select(i => (JsonNode)Samples.Outcome(ods, $"five-hundred-{i}"))]);

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal(500, (await gateway.EventsFromPublisherAsync(ods, Ct)).Count);
    }

    [Fact]
    public async Task A_malformed_batch_body_gets_400_with_the_position_and_is_kept_as_one_dead_letter()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var body = "[" + Samples.Outcome(ods, "m-1").ToJsonString() + ", {\"id\": ";

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal("malformed_json", (string)answer.Body!["error"]!);
        Assert.Contains("is not valid JSON (line 1, byte", (string)answer.Body!["message"]!, StringComparison.Ordinal);
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
        var letter = Assert.Single(await gateway.DeadLettersOfAsync(ods, Ct));
        Assert.Equal(body, Encoding.UTF8.GetString(await gateway.DeadLetterStore.ReadPayloadAsync(ods, letter.RowKey, Ct)));
    }

    [Fact]
    public async Task A_malformed_single_event_gets_400_with_the_readers_reason()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);

        var answer = await gateway.SubmitAsync(ods, "{\"specversion\": \"1.0\",", Single, Key(key), Ct);

        Assert.Equal(400, answer.StatusCode);
        var problem = Assert.Single(answer.Problems(0));
        Assert.StartsWith("$: ", problem, StringComparison.Ordinal);
        Assert.Single(await gateway.DeadLettersOfAsync(ods, Ct));
    }

    [Theory]
    [InlineData("{\"not\":\"an array\"}", "invalid_batch")]
    [InlineData("[]", "invalid_batch")]
    public async Task A_batch_that_is_not_a_non_empty_array_gets_400(string body, string error)
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);

        var answer = await gateway.SubmitAsync(ods, body, Batch, Key(key), Ct);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal(error, (string)answer.Body!["error"]!);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/cloudevents+json; charset=latin1")]
    public async Task Other_media_types_get_415(string contentType)
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);

        var answer = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "mt-1").ToJsonString(), contentType, Key(key), Ct);

        Assert.Equal(415, answer.StatusCode);
        Assert.Empty(await gateway.EventsFromPublisherAsync(ods, Ct));
    }

    [Fact]
    public async Task After_a_rotation_the_previous_key_still_works_and_after_a_second_it_does_not()
    {
        var (ods, first) = await gateway.NewTrustAsync(Ct);
        var second = (await gateway.Trusts.RotateKeyAsync(ods, cancellationToken: Ct))!.Key;

        var withFirst = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "r-1").ToJsonString(), Single, Key(first), Ct);
        var withSecond = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "r-2").ToJsonString(), Single, Key(second), Ct);
        await gateway.Trusts.RotateKeyAsync(ods, cancellationToken: Ct);
        var firstAfterTwo = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "r-3").ToJsonString(), Single, Key(first), Ct);
        var secondAfterTwo = await gateway.SubmitAsync(ods, Samples.Outcome(ods, "r-4").ToJsonString(), Single, Key(second), Ct);

        Assert.Equal(202, withFirst.StatusCode);
        Assert.Contains(withFirst.Logs, l => l.Contains("previous key", StringComparison.Ordinal));
        Assert.Equal(202, withSecond.StatusCode);
        Assert.Equal(401, firstAfterTwo.StatusCode);
        Assert.Equal(202, secondAfterTwo.StatusCode);
    }

    [Fact]
    public async Task A_gateway_rejection_row_key_follows_the_dead_letter_stores_gateway_form()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        var bad = Samples.Outcome(ods, "rk-1");
        bad["data"]!["pgic"] = 9;

        await gateway.SubmitAsync(ods, Samples.Batch(bad, bad), Batch, Key(key), Ct);

        var letters = await gateway.DeadLettersOfAsync(ods, Ct);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Matches("^gw-[0-9]{20}-[0-9]{20}$", l.RowKey));
    }

    [Fact]
    public async Task When_the_hub_cannot_be_reached_the_answer_is_503_with_retry_after_and_rejected_events_are_still_kept()
    {
        var (ods, key) = await gateway.NewTrustAsync(Ct);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = gateway.CreateApp($"Endpoint=sb://localhost:{closedPort};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true");
        using var handler = app.CreateClient();
        var bad = Samples.Outcome(ods, "down-bad");
        bad["data"]!["painNrs"] = -1;

        var answer = await GatewayFixture.SubmitAsync(handler, ods, Samples.Batch(Samples.Outcome(ods, "down-good"), bad), Batch, Key(key), Ct);

        Assert.Equal(503, answer.StatusCode);
        Assert.Equal("5", answer.Headers["Retry-After"]);
        Assert.Equal("unavailable", (string)answer.Body!["error"]!);
        Assert.Equal("down-bad", Assert.Single(await gateway.DeadLettersOfAsync(ods, Ct)).GetString("EventId"));
    }
}
