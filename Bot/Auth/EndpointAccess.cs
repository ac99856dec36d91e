using System.Security.Claims;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Authorization;

namespace BotEngine.Bot.Auth;

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

/// <summary>The claim that carries one permission name of the signed-in operator.</summary>
public static class PermissionClaim
{
    public const string Type = "perm";

    public static bool Has(this ClaimsPrincipal user, Permission permission) => user.HasClaim(Type, permission.ToName());
}

public static class EndpointAccessExtensions
{
    /// <summary>Only operators with one of <paramref name="anyOf"/>; others get 403, callers without a token 401.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, params Permission[] anyOf) where TBuilder : IEndpointConventionBuilder
    {
        if (anyOf.Length == 0)
            throw new ArgumentException("Name at least one permission.", nameof(anyOf));
        var policy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => anyOf.Any(context.User.Has))
            .Build();
        return builder.RequireAuthorization(policy).WithMetadata(new EndpointAccess.NeedsPermission(anyOf));
    }

    /// <summary>Any operator with a valid token, for actions on their own account.</summary>
    public static TBuilder RequireSignedIn<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().WithMetadata(new EndpointAccess.SignedIn());

    /// <summary>No operator token; <paramref name="authenticatedBy"/> says what protects it instead.</summary>
    public static TBuilder AllowPublic<TBuilder>(this TBuilder builder, string authenticatedBy) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new EndpointAccess.Public(authenticatedBy));
}
