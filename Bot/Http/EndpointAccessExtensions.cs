using BotEngine.Handoff;
using Microsoft.AspNetCore.Authorization;

namespace BotEngine.Http;

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
