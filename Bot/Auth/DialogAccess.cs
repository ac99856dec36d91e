using BotEngine.Http;
using System.Security.Claims;
using BotEngine.Storage.Desk;
using BotEngine.Handoff;

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

    /// <summary>The same rule as storage applies it to its reads.</summary>
    public DialogScope Scope => new(OperatorId, SeesAll, SeesClientHistory);

    public async Task<bool> CanReadAsync(DialogViewStore dialogs, string dialogId, CancellationToken cancellationToken) =>
        SeesAll || await dialogs.IsVisibleAsync(dialogId, Scope, cancellationToken);
}
