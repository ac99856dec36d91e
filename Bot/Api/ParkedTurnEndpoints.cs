using BotEngine.Conversations;
using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Pipeline;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Client messages whose turn kept failing and was parked (see <see cref="TurnParking"/>): supervisors list them
/// and, once the cause is fixed, replay one; it runs again as a new turn of its conversation. Likewise deliveries the
/// outbox parked: listed, and sent again with fresh attempts.
/// </summary>
public static partial class ParkedTurnEndpoints
{
    public static IEndpointRouteBuilder MapParkedTurnsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/parked-turns").WithTags("parked turns");
        api.MapGet("", ListAsync).RequirePermission(Permission.ViewMonitoring);
        // Replaying runs the bot again on a client's message: a configuration-level action, as fixing the cause is.
        api.MapPost("/{messageId}/replay", ReplayAsync).RequirePermission(Permission.ModifyConfiguration);

        // Outbound messages the outbox gave up on (a channel that kept failing): listed, and sent again once it works.
        var deliveries = app.MapGroup("/api/v1/parked-deliveries").WithTags("parked turns");
        deliveries.MapGet("", async Task<Results<Ok<IReadOnlyList<ParkedDelivery>>, ProblemHttpResult>> (int? limit, IOutboxStore outbox, CancellationToken ct) =>
            BadLimit(limit) is { } bad ? bad : TypedResults.Ok(await outbox.ListFailedAsync(limit ?? 200, ct)))
            .RequirePermission(Permission.ViewMonitoring);
        deliveries.MapPost("/{messageId}/replay", ReplayDeliveryAsync).RequirePermission(Permission.ModifyConfiguration);

        // Agent calls that failed for good: listed; a given-up dialogClosed is sent again once the agent works.
        var agentCalls = app.MapGroup("/api/v1/failed-agent-calls").WithTags("parked turns");
        agentCalls.MapGet("", async Task<Results<Ok<IReadOnlyList<FailedAgentCall>>, ProblemHttpResult>> (int? limit, FailedAgentCalls failed, CancellationToken ct) =>
            BadLimit(limit) is { } bad ? bad : TypedResults.Ok(await failed.ListAsync(limit ?? 200, ct)))
            .RequirePermission(Permission.ViewMonitoring);
        agentCalls.MapPost("/{callId}/replay", ReplayAgentCallAsync).RequirePermission(Permission.ModifyConfiguration);
        return app;
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAgentCallAsync(string callId, HttpContext http, FailedAgentCalls failed, CancellationToken ct) =>
        await failed.ReplayAsync(callId, http.User.OperatorId(), ct) switch
        {
            ReplayOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"callId: no agent call '{callId}'."),
            ReplayOutcome.NotParked => TypedResults.Problem(statusCode: 409, title: "Conflict",
                detail: $"callId: agent call '{callId}' cannot be sent again: only a dialogClosed that failed for good can (a client's message has gone to the fallback)."),
            _ => TypedResults.Accepted("/api/v1/failed-agent-calls"),
        };

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayDeliveryAsync(string messageId, OutboxDispatcher outbox, CancellationToken ct) =>
        await outbox.ReplayAsync(messageId, ct) switch
        {
            ReplayOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"messageId: no outbound message '{messageId}' in the outbox."),
            ReplayOutcome.NotParked => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"messageId: the delivery of '{messageId}' has not failed for good (delivered, or still being tried)."),
            _ => TypedResults.Accepted("/api/v1/parked-deliveries"),
        };

    private static async Task<Results<Ok<IReadOnlyList<ParkedTurn>>, ProblemHttpResult>> ListAsync(int? limit, TurnParking parking, CancellationToken ct) =>
        BadLimit(limit) is { } bad ? bad : TypedResults.Ok(await parking.ListAsync(limit ?? 200, ct));

    private static ProblemHttpResult? BadLimit(int? limit) =>
        limit is < 1 or > 1000 ? TypedResults.Problem(statusCode: 400, title: "Bad request", detail: "limit: between 1 and 1000.") : null;

    private static async Task<Results<Accepted<ReplayResponse>, ProblemHttpResult>> ReplayAsync(
        string messageId, HttpContext http, TurnParking parking, TurnScheduler scheduler, ILoggerFactory loggers, CancellationToken ct)
    {
        var (outcome, conversationId) = await parking.ReplayAsync(messageId, ct);
        switch (outcome)
        {
            case ReplayOutcome.NotFound:
                return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"messageId: no client message '{messageId}'.");
            case ReplayOutcome.NotParked:
                return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"messageId: message '{messageId}' is not parked.");
            case ReplayOutcome.DialogClosed:
                return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"messageId: the dialog of message '{messageId}' is closed; replaying it would change nothing.");
        }
        scheduler.Schedule(conversationId!);
        LogReplayed(loggers.CreateLogger(typeof(ParkedTurnEndpoints).FullName!), messageId, http.User.OperatorId());
        return TypedResults.Accepted($"/api/v1/parked-turns", new ReplayResponse(messageId, conversationId!));
    }

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Parked turn of message {MessageId} replayed by operator {OperatorId}")]
    private static partial void LogReplayed(ILogger logger, string messageId, string operatorId);
}
