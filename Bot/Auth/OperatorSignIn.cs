using System.Net;
using BotEngine.Bot.Routing;
using BotEngine.Bot.Storage;

namespace BotEngine.Bot.Auth;

/// <summary>How a password check ended.</summary>
public abstract record PasswordCheck
{
    public sealed record Passed(OperatorRow Operator) : PasswordCheck;

    public sealed record Wrong : PasswordCheck;

    /// <summary>Refused before the password was looked at: too many failures for the login or from the address.</summary>
    public sealed record Throttled(ThrottleRefusal Refusal) : PasswordCheck;

    /// <summary>The right password of a disabled account.</summary>
    public sealed record Disabled : PasswordCheck;

    /// <summary>Too many checks are queued; nothing was decided.</summary>
    public sealed record Busy : PasswordCheck;
}

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
