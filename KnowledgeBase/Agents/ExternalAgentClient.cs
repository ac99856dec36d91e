using System.Net;
using System.Net.Http.Headers;

namespace BotEngine.KnowledgeBase;

/// <summary>
/// Posts signed turn events to an agent with the agent's timeout per attempt and its number of retries.
/// Give it an HttpClient whose own Timeout is infinite (per-attempt timeouts are applied here).
/// </summary>
public sealed class ExternalAgentClient(HttpClient http, TimeProvider? time = null, ExternalAgentClientOptions? options = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ExternalAgentClientOptions _options = options ?? new();

    public async Task<AgentCallResult> SendAsync(ExternalAgent agent, AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        AgentAttempt? last = null;
        var attempts = 0;
        for (var attempt = 0; attempt <= agent.Retries; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(RetryDelay(attempt), _time, cancellationToken).ConfigureAwait(false);
            attempts++;
            last = await SendOnceAsync(agent, agentEvent, TimeSpan.FromSeconds(agent.TimeoutSeconds), cancellationToken).ConfigureAwait(false);
            if (!last.Transient)
                break;
        }
        return new AgentCallResult(last!.Status, last.Response, last.Error, attempts);
    }

    /// <summary>The wait before the given retry (1 for the first): the configured delay, doubling each time.</summary>
    public TimeSpan RetryDelay(int retry) => _options.RetryDelay * Math.Pow(2, retry - 1);

    /// <summary>
    /// One attempt, waiting at most <paramref name="timeout"/>. A failure that another attempt may cure (network error,
    /// timeout, 408, 429, 5xx) is marked transient; the caller decides whether and when to try again.
    /// </summary>
    public async Task<AgentAttempt> SendOnceAsync(ExternalAgent agent, AgentEvent agentEvent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = AgentJson.Serialize(agentEvent);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, agent.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(AgentSignature.HeaderName, AgentSignature.Sign(agent.Secret, body));
            request.Headers.Add(AgentSignature.EventIdHeaderName, agentEvent.EventId);
            using var response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var payload = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);

            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent)
                return new AgentAttempt(AgentCallStatus.Accepted, null, null, false);
            if (response.IsSuccessStatusCode)
                return AgentJson.TryParseResponse(payload, out var parsed, out var error)
                    ? new AgentAttempt(AgentCallStatus.Answered, parsed, null, false)
                    : new AgentAttempt(AgentCallStatus.Failed, null, $"agent '{agent.Id}' answered an invalid body: {error}", false);
            return new AgentAttempt(AgentCallStatus.Failed, null, $"agent '{agent.Id}' answered HTTP {(int)response.StatusCode}", IsTransient(response.StatusCode));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new AgentAttempt(AgentCallStatus.Failed, null, $"agent '{agent.Id}' did not answer within {FormatSeconds(timeout)} s", true);
        }
        catch (HttpRequestException e)
        {
            return new AgentAttempt(AgentCallStatus.Failed, null, $"agent '{agent.Id}' is unreachable: {e.Message}", true);
        }
    }

    private static string FormatSeconds(TimeSpan timeout) =>
        Math.Round(timeout.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
