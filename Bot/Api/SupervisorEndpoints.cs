using BotEngine.Bot.Auth;
using BotEngine.Engine.Desk;
using BotEngine.Handoff;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Monitoring for supervisors (<c>view_monitoring</c>): the live overview, scoped to the supervisor's own call
/// centres, languages and lines unless they have all, and moving a waiting dialog to an operator by hand.
/// </summary>
public static class SupervisorEndpoints
{
    /// <summary>How many waiting dialogs and dialogs with the bot the overview lists (the counts cover all).</summary>
    private const int MonitoringListLimit = 500;

    public static IEndpointRouteBuilder MapSupervisorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("routing");
        api.MapGet("/monitoring", MonitoringAsync).RequirePermission(Permission.ViewMonitoring);
        api.MapPost("/dialogs/{id}/assign", (string id, AssignRequest? request, HttpContext http, SupervisorAssignment assignment, CancellationToken ct) =>
            DeskResults.Run(() => assignment.AssignAsync(http.User.OperatorId(), id, request?.OperatorId, ct)))
            .RequirePermission(Permission.ViewMonitoring);
        return app;
    }

    private static async Task<Results<Ok<MonitoringDto>, ProblemHttpResult>> MonitoringAsync(HttpContext http, Database database, TimeProvider time, CancellationToken ct)
    {
        var dto = await database.ReadAsync(async c =>
        {
            var supervisor = await OperatorStore.LoadAsync(c, null, http.User.OperatorId());
            if (supervisor is null)
                return null;
            var scope = MonitoringScope.Of(HandoffStore.Routing(supervisor));
            var queued = (await QueueReading.QueuedAsync(c, null)).Where(r => scope.CoversDialog(r.CallCentre, r.Language, r.Line)).ToList();
            var (allRows, allOperators, held) = await QueueReading.OperatorsAsync(c, null);
            var inScope = allRows.Where(o => scope.CoversOperator(HandoffStore.Routing(o))).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            var operatorRows = allRows.Where(o => inScope.Contains(o.Id)).ToList();
            var operators = allOperators.Where(o => inScope.Contains(o.OperatorId)).ToList();
            int withBot;
            List<BotDialogView> botDialogs;
            if (scope.SeesAll)
            {
                withBot = await MonitoringStore.BotDialogCountAsync(c);
                botDialogs = await MonitoringStore.BotDialogsAsync(c, MonitoringListLimit);
            }
            else
            {
                var mine = (await MonitoringStore.BotDialogsWithPlaceAsync(c)).Where(b => scope.CoversDialog(b.CallCentre, b.Language, b.Line)).ToList();
                withBot = mine.Count;
                botDialogs = mine.Take(MonitoringListLimit).Select(b => b.View).ToList();
            }
            var errors = await MonitoringStore.RecentErrorsAsync(c);
            // Read first, then take the time: waits are measured up to a moment after everything read.
            var now = time.GetUtcNow();
            var stats = await QueueReading.StatsAsync(c, null, now);
            var overview = Monitoring.Build(queued.Select(QueueReading.ToQueued).OfType<QueuedDialog>().ToList(), operators, held,
                withBot, botDialogs, errors, stats, now);
            var rows = queued.ToDictionary(r => r.Id, StringComparer.Ordinal);
            var accounts = operatorRows.ToDictionary(o => o.Id, StringComparer.Ordinal);
            var listedWaiting = overview.Waiting.Take(MonitoringListLimit).ToList();
            var listed = await MonitoringStore.DialogsAsync(c, database,
                [.. listedWaiting.Select(w => w.DialogId).Concat(overview.Operators.SelectMany(o => o.DialogIds)).Concat(overview.BotDialogs.Select(b => b.DialogId)).Distinct(StringComparer.Ordinal)]);
            MonitoredDialogRow? Listed(string id) => listed.GetValueOrDefault(id);
            return new MonitoringDto(
                overview.QueueLength,
                listedWaiting.Select(w => new WaitingDialogDto(
                    w.DialogId, w.ClientId, rows[w.DialogId].Language, w.Line, w.CallCentre, w.QueuedAt, w.Waiting.TotalSeconds,
                    w.Priority, w.Position, w.EstimatedWait?.TotalSeconds, Listed(w.DialogId)?.ClientName,
                    [.. (QueueReading.ToQueued(rows[w.DialogId])?.Requirements.Skills ?? new HashSet<string>()).Order(StringComparer.Ordinal)],
                    Listed(w.DialogId)?.Channel)).ToList(),
                overview.Operators.Select(o =>
                {
                    var account = accounts[o.OperatorId];
                    var routing = HandoffStore.Routing(account);
                    var since = TimeExtensions.FromMicros(account.StatusChangedAt);
                    return new OperatorLoadDto(o.OperatorId, account.Login, account.DisplayName, o.Status.ToName(), o.MaxDialogs,
                        o.DialogIds, o.ActiveDialogs, o.IdleSince, since, Math.Max(0, Math.Round((now - since).TotalSeconds, 3)),
                        [.. routing.CallCentres.Order(StringComparer.Ordinal)], [.. routing.Languages.Order(StringComparer.Ordinal)],
                        [.. routing.Lines.Order(StringComparer.Ordinal)], [.. routing.Skills.Order(StringComparer.Ordinal)],
                        o.DialogIds.Select(id => new OperatorDialogDto(id, Listed(id)?.ClientName, Listed(id)?.Channel,
                            Listed(id)?.AssignedAt is { } at ? TimeExtensions.FromMicros(at) : null)).ToList());
                }).ToList(),
                overview.DialogsWithBot,
                overview.BotDialogs.Select(b =>
                {
                    var row = Listed(b.DialogId);
                    var state = row?.BotState is { } json ? ReadBotState(json) : null;
                    return new BotDialogDto(b.DialogId, b.ClientId, b.Since, row?.ClientName, row?.Channel, state?.ExternalAgentId, state?.Scenario?.ArticleId);
                }).ToList(),
                overview.Errors.Select(e => new ProcessingErrorDto(e.Kind, e.Subject, e.Message, e.At)).ToList(),
                scope.SeesAll ? null : new MonitoringScopeDto([.. scope.CallCentres.Order(StringComparer.Ordinal)],
                    [.. scope.Languages.Order(StringComparer.Ordinal)], [.. scope.Lines.Order(StringComparer.Ordinal)]));
        }, ct);
        return dto is null ? TypedResults.Problem(statusCode: 404, detail: "The operator no longer exists.") : TypedResults.Ok(dto);
    }

    /// <summary>The bot's memory of a dialog, or null when it cannot be read (monitoring then shows no agent or scenario rather than failing).</summary>
    private static KnowledgeBase.DialogState? ReadBotState(string json)
    {
        try
        {
            return Engine.Knowledge.BotResponder.ReadState(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
