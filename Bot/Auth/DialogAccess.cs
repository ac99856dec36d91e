using BotEngine.Http;
using System.Security.Claims;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Which dialogs an operator may read. An operator sees the dialogs they hold or were ever offered; with
/// <c>view_client</c> also the other dialogs of the clients they are serving now; with <c>view_dialogs_search</c>
/// or <c>view_monitoring</c> every dialog, as a supervisor does.
/// </summary>
public sealed record DialogAccess(string OperatorId, bool SeesAll, bool SeesClientHistory)
{
    public static DialogAccess Of(ClaimsPrincipal user) => new(
        user.OperatorId(),
        user.Has(Permission.ViewDialogsSearch) || user.Has(Permission.ViewMonitoring),
        user.Has(Permission.ViewClient));

    /// <summary>A condition on the <c>dialogs</c> table (alias <paramref name="alias"/>) with the parameter <c>@accessOperator</c>.</summary>
    public string Predicate(string alias = "dialogs")
    {
        if (SeesAll)
            return "1 = 1";
        var own = $"""
            ({alias}.operator_id = @accessOperator
             OR EXISTS (SELECT 1 FROM dialog_events e WHERE e.dialog_id = {alias}.id AND e.operator_id = @accessOperator)
            """;
        return SeesClientHistory
            ? own + $" OR {alias}.client_id IN (SELECT h.client_id FROM dialogs h WHERE h.operator_id = @accessOperator AND h.state IN ('assigned', 'active')))"
            : own + ")";
    }

    public async Task<bool> CanReadAsync(Database database, string dialogId, CancellationToken cancellationToken) =>
        SeesAll || await database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM dialogs WHERE id = @dialogId AND {Predicate()}", new { dialogId, accessOperator = OperatorId }), cancellationToken) > 0;
}
