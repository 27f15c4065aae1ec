using System.Net;
using System.Text.Json;
using SafetySurveillance.Simulator.Generation;
using SafetySurveillance.Simulator.Sending;
using SafetySurveillance.Simulator.Tests.Support;
using Xunit;

namespace SafetySurveillance.Simulator.Tests.Sending;

public sealed class GatewayTransportTests
{
    private static readonly Uri BaseUrl = new("http://gateway.test:7071");

    [Fact]
    public async Task Single_events_are_posted_to_the_trust_path_with_its_key_and_the_structured_content_type()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 50 });
        var trust = run.Trusts[0].OdsCode;
        var events = run.Events.Where(e => e.TrustOds == trust).ToList();
        var handler = new RecordingHandler(_ => HttpStatusCode.Accepted);
        using var http = new HttpClient(handler);
        var transport = new GatewayTransport(http, BaseUrl, ods => "key-" + ods);

        var result = await transport.SendAsync(trust, events, TestContext.Current.CancellationToken);

        Assert.Equal(new TransportResult(events.Count, 0), result);
        Assert.Equal(events.Count, handler.Requests.Count);
        Assert.All(handler.Requests.Zip(events), pair =>
        {
            var (request, e) = pair;
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal(new Uri($"http://gateway.test:7071/api/trusts/{trust}/events"), request.Uri);
            Assert.Equal("key-" + trust, request.TrustKey);
            Assert.Equal("application/cloudevents+json", request.ContentType);
            Assert.Equal(e.Body.ToArray(), request.Body);
        });
    }

    [Fact]
    public async Task Batches_are_JSON_arrays_of_the_exact_bodies_and_malformed_events_go_alone()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 3_000, MalformedFraction = 0.2 });
        var trust = run.Trusts[1].OdsCode;
        var events = run.Events.Where(e => e.TrustOds == trust).ToList();
        Assert.Contains(events, e => e.IsUnparsable);
        var handler = new RecordingHandler(_ => HttpStatusCode.Accepted);
        using var http = new HttpClient(handler);
        var transport = new GatewayTransport(http, BaseUrl, _ => "k", maxEventsPerRequest: 25);

        await transport.SendAsync(trust, events, TestContext.Current.CancellationToken);

        var received = new List<byte[]>();
        foreach (var request in handler.Requests)
        {
            if (request.ContentType == "application/cloudevents-batch+json")
            {
                using var array = JsonDocument.Parse(request.Body);
                Assert.InRange(array.RootElement.GetArrayLength(), 1, 25);
                received.AddRange(array.RootElement.EnumerateArray().Select(element => System.Text.Encoding.UTF8.GetBytes(element.GetRawText())));
            }
            else
            {
                Assert.Equal("application/cloudevents+json", request.ContentType);
                received.Add(request.Body);
            }
        }

        Assert.Equal(events.Select(e => Convert.ToBase64String(e.Body.Span)).Order(), received.Select(Convert.ToBase64String).Order());
        var alone = handler.Requests.Where(r => r.ContentType == "application/cloudevents+json").Select(r => Convert.ToBase64String(r.Body)).ToHashSet();
        Assert.All(events.Where(e => e.Kind == SimulatedEventKind.Malformed), e => Assert.Contains(Convert.ToBase64String(e.Body.Span), alone));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_client_errors_count_as_refused()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 30, MalformedFraction = 0 });
        var trust = run.Events[0].TrustOds;
        var events = run.Events.Where(e => e.TrustOds == trust).Take(2).ToList();
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted, HttpStatusCode.BadRequest]);
        var handler = new RecordingHandler(_ => answers.Dequeue());
        using var http = new HttpClient(handler);
        var transport = new GatewayTransport(http, BaseUrl, _ => "k");

        var result = await transport.SendAsync(trust, events, TestContext.Current.CancellationToken);

        Assert.Equal(new TransportResult(1, 1), result);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task The_gateways_per_event_counts_are_used_when_it_sends_them()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 200, MalformedFraction = 0 });
        var trust = run.Events[0].TrustOds;
        var events = run.Events.Where(e => e.TrustOds == trust).Take(3).ToList();
        var handler = new RecordingHandler(
            _ => (HttpStatusCode)207,
            _ => $$"""{"trust":"{{trust}}","accepted":2,"rejected":1,"events":[]}""");
        using var http = new HttpClient(handler);
        var transport = new GatewayTransport(http, BaseUrl, _ => "k", maxEventsPerRequest: 10);

        var result = await transport.SendAsync(trust, events, TestContext.Current.CancellationToken);

        Assert.Equal(new TransportResult(2, 1), result);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_refused_key_stops_the_run()
    {
        var run = Runs.Generate(new SimulationOptions { EventCount = 10 });
        var handler = new RecordingHandler(_ => HttpStatusCode.Unauthorized);
        using var http = new HttpClient(handler);
        var transport = new GatewayTransport(http, BaseUrl, _ => "wrong");

        await Assert.ThrowsAsync<HttpRequestException>(() => transport.SendAsync(run.Events[0].TrustOds, [run.Events[0]], TestContext.Current.CancellationToken));
    }

    private sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? TrustKey, string? ContentType, byte[] Body);

    private sealed class RecordingHandler(Func<RecordedRequest, HttpStatusCode> answer, Func<RecordedRequest, string>? answerBody = null) : HttpMessageHandler
    {
        public List<RecordedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var recorded = new RecordedRequest(
                request.Method,
                request.RequestUri!,
                request.Headers.TryGetValues("x-trust-key", out var keys) ? keys.Single() : null,
                request.Content.Headers.ContentType?.MediaType,
                body);
            lock (Requests)
            {
                Requests.Add(recorded);
            }

            var response = new HttpResponseMessage(answer(recorded));
            if (answerBody is not null)
            {
                response.Content = new StringContent(answerBody(recorded), System.Text.Encoding.UTF8, "application/json");
            }

            return response;
        }
    }
}
