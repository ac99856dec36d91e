using BotEngine.Handoff;

namespace BotEngine.Bot.Auth;

/// <summary>
/// How an endpoint is protected. Every endpoint carries exactly one of these (the authorisation matrix test
/// fails on an endpoint without one), so a new route cannot be left open by omission.
/// </summary>
public abstract record EndpointAccess
{
    /// <summary>Callers holding an operator token with this permission.</summary>
    public sealed record NeedsPermission(Permission Permission) : EndpointAccess;

    /// <summary>Any signed-in operator, acting on their own account or session (me, logout, own password).</summary>
    public sealed record SignedIn : EndpointAccess;

    /// <summary>No operator token: the endpoint authenticates the caller by its own means (Direct Line secret or
    /// token, an agent's HMAC signature, a login and password) or serves public content.</summary>
    public sealed record Public(string AuthenticatedBy) : EndpointAccess;
}

public static class EndpointAccessExtensions
{
    /// <summary>Only operators with <paramref name="permission"/>; others get 403, callers without a token 401.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(permission.ToName()).WithMetadata(new EndpointAccess.NeedsPermission(permission));

    /// <summary>Any operator with a valid token, for actions on their own account.</summary>
    public static TBuilder RequireSignedIn<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().WithMetadata(new EndpointAccess.SignedIn());

    /// <summary>No operator token; <paramref name="authenticatedBy"/> says what protects it instead.</summary>
    public static TBuilder AllowPublic<TBuilder>(this TBuilder builder, string authenticatedBy) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new EndpointAccess.Public(authenticatedBy));
}
