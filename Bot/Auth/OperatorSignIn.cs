using System.Net;
using BotEngine.Engine.Desk;
using BotEngine.Storage;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Checks an operator's password the one guarded way, for sign-in and for a password change: throttled per login and
/// per address, the same cost for an unknown login as for a known one, hashing on the bounded hashing workers.
/// </summary>
public sealed class OperatorSignIn(OperatorAccounts accounts, LoginThrottle throttle)
{
    public async Task<PasswordCheck> CheckAsync(string login, string password, IPAddress? address, CancellationToken cancellationToken)
    {
        if (throttle.TryBegin(login, address) is { } refusal)
            return new PasswordCheck.Throttled(refusal);
        OperatorRow? row;
        try
        {
            row = await accounts.VerifyAsync(login, password, cancellationToken);
        }
        catch (PasswordHashingBusyException)
        {
            throttle.Abandoned(login, address);
            return new PasswordCheck.Busy();
        }
        // A failed or disabled attempt stays counted against the login and the address.
        if (row is null)
            return new PasswordCheck.Wrong();
        if (row.DisabledAt is not null)
            return new PasswordCheck.Disabled();
        throttle.Succeeded(login, address);
        return new PasswordCheck.Passed(row);
    }
}
