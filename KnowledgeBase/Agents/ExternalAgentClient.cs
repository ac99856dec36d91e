using System.Net;
using System.Net.Http.Headers;

namespace BotEngine.KnowledgeBase;

public enum AgentCallStatus
{
    /// <summary>200 with actions in the body.</summary>
    Answered,
    /// <summary>202 or 204: the agent will answer later through the callback API.</summary>
    Accepted,
    /// <summary>All attempts failed, or the agent refused the event (4xx) or answered nonsense.</summary>
    Failed,
}

public sealed record AgentCallResult(AgentCallStatus Status, AgentResponse? Response, string? Error, int Attempts);

public sealed class ExternalAgentClientOptions
{
    /// <summary>Delay before the first retry; doubles for each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

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
        var body = AgentJson.Serialize(agentEvent);
        var signature = AgentSignature.Sign(agent.Secret, body);
        string? lastError = null;
        var attempts = 0;
        for (var attempt = 0; attempt <= agent.Retries; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(_options.RetryDelay * Math.Pow(2, attempt - 1), _time, cancellationToken).ConfigureAwait(false);
            attempts++;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(agent.TimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, agent.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(AgentSignature.HeaderName, signature);
                request.Headers.Add(AgentSignature.EventIdHeaderName, agentEvent.EventId);
                using var response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
                var payload = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);

                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.NoContent)
                    return new AgentCallResult(AgentCallStatus.Accepted, null, null, attempts);
                if (response.IsSuccessStatusCode)
                    return AgentJson.TryParseResponse(payload, out var parsed, out var error)
                        ? new AgentCallResult(AgentCallStatus.Answered, parsed, null, attempts)
                        : new AgentCallResult(AgentCallStatus.Failed, null, $"agent '{agent.Id}' answered an invalid body: {error}", attempts);
                lastError = $"agent '{agent.Id}' answered HTTP {(int)response.StatusCode}";
                if (!IsTransient(response.StatusCode))
                    return new AgentCallResult(AgentCallStatus.Failed, null, lastError, attempts);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                lastError = $"agent '{agent.Id}' did not answer within {agent.TimeoutSeconds} s";
            }
            catch (HttpRequestException e)
            {
                lastError = $"agent '{agent.Id}' is unreachable: {e.Message}";
            }
        }
        return new AgentCallResult(AgentCallStatus.Failed, null, lastError, attempts);
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
