using BotEngine.Storage;

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
