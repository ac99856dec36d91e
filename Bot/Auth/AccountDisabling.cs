using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Storage.Desk;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Disables and re-enables operator accounts. Disabling ends the operator's sessions at once (token version raised),
/// sets them offline and puts their dialogs back in the queue; the last enabled operator who can manage operators
/// cannot be disabled, so the engine is never left without an administrator.
/// </summary>
public sealed class AccountDisabling(OperatorStore operators, OperatorDesk desk, OperatorAccounts accounts, TimeProvider time)
{
    public async Task<OperatorRow> DisableAsync(string operatorId, CancellationToken cancellationToken)
    {
        await desk.DisableAsync(operatorId, async (c, t, row) =>
        {
            if (row.DisabledAt is not null)
                return;
            if (OperatorAccounts.HasModifyUsers(row) && await OperatorAccounts.CountOtherEnabledAdministratorsAsync(c, t, operatorId) == 0)
                throw new DeskException(409,
                    $"'{row.Login}' is the last enabled operator with {OperatorAccounts.ModifyUsers}; disabling it would leave nobody to manage operators.",
                    "operator.last_admin");
            await OperatorStore.DisableAsync(c, t, operatorId, time.NowMicros());
        }, cancellationToken);
        return await accounts.FindAsync(operatorId, cancellationToken) ?? throw new DeskException(404, $"Operator '{operatorId}' does not exist.", "operator.not_found");
    }

    /// <summary>Lets the operator sign in again (old sessions stay ended).</summary>
    public async Task<OperatorRow> EnableAsync(string operatorId, CancellationToken cancellationToken)
    {
        if (!await operators.EnableAsync(operatorId, cancellationToken))
            throw new DeskException(404, $"Operator '{operatorId}' does not exist.", "operator.not_found");
        return (await accounts.FindAsync(operatorId, cancellationToken))!;
    }
}
