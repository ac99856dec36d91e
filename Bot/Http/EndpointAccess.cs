using BotEngine.Handoff;

namespace BotEngine.Http;

/// <summary>
/// How an endpoint is protected. Every endpoint carries exactly one of these (the authorisation matrix test
/// fails on an endpoint without one), so a new route cannot be left open by omission.
/// </summary>
public abstract record EndpointAccess
{
    /// <summary>Callers holding an operator token with at least one of these permissions.</summary>
    public sealed record NeedsPermission(IReadOnlyList<Permission> AnyOf) : EndpointAccess;

    /// <summary>Any signed-in operator, acting on their own account or session (me, logout, own password).</summary>
    public sealed record SignedIn : EndpointAccess;

    /// <summary>No operator token: the endpoint authenticates the caller by its own means (Direct Line secret or
    /// token, an agent's HMAC signature, a login and password) or serves public content.</summary>
    public sealed record Public(string AuthenticatedBy) : EndpointAccess;
}
