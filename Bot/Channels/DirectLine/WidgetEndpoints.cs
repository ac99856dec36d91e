using BotEngine.Engine.Clients;
using BotEngine.Http;
using BotEngine.Storage.Clients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Channels.DirectLine;

/// <summary>
/// What the web widget adds to Direct Line, authorised by the conversation's token: the visitor's pre-chat form or
/// signed sign-in (<c>identity</c>), the rating of a closed dialog, and a deep link opened in the widget.
/// </summary>
public static class WidgetEndpoints
{
    public static IEndpointRouteBuilder MapWidgetApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/widget/v1/conversations/{conversationId}").RequireCors(DirectLineEndpoints.CorsPolicy)
            .AllowPublic("a Direct Line conversation's token").WithTags("widget");
        group.MapPost("/identity", IdentifyAsync);
        group.MapPost("/rating", RateAsync);
        group.MapPost("/link", LinkAsync);
        app.MapGet("/widget/v1/settings", async (WidgetAppearance appearance, CancellationToken ct) => Results.Ok(await appearance.GetAsync(ct)))
            .RequireCors(DirectLineEndpoints.CorsPolicy).AllowPublic("the widget's look and pre-chat form, which any visitor sees").WithTags("widget");
        return app;
    }

    private static async Task<IResult> IdentifyAsync(string conversationId, IdentityRequest? body, HttpRequest request, DirectLineAuth auth, DirectLineStore store,
        ClientIdentity identity, CancellationToken ct)
    {
        var (caller, error) = await DirectLineEndpoints.AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        var result = await identity.IdentifyAsync(DirectLineStore.Channel, conversationId, caller!.UserId!, body, ct);
        return Results.Ok(new { verified = result.Verified, joinedKnownClient = result.JoinedKnownClient });
    }

    private static async Task<IResult> RateAsync(string conversationId, RatingRequest? body, HttpRequest request, DirectLineAuth auth, DirectLineStore store,
        ClientProfiles profiles, CancellationToken ct)
    {
        var (_, error) = await DirectLineEndpoints.AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        var dialogId = await profiles.RateAsync(conversationId, body?.Rating, body?.Comment, ct);
        return Results.Ok(new { dialogId });
    }

    private static async Task<IResult> LinkAsync(string conversationId, LinkRequest? body, HttpRequest request, DirectLineAuth auth, DirectLineStore store,
        ClientLinks links, CancellationToken ct)
    {
        var (caller, error) = await DirectLineEndpoints.AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        if (string.IsNullOrEmpty(body?.Token) || body.Token.Length > 64)
            throw new ClientProfileException("token: required, the link's token (at most 64 characters).", "link.bad_token");
        var (outcome, _) = await links.RedeemAsync(body.Token, DirectLineStore.Channel, caller!.UserId!, null, ct);
        return outcome switch
        {
            LinkRedemption.Linked or LinkRedemption.AlreadyLinked => Results.Ok(new { linked = true }),
            LinkRedemption.Expired => throw new ClientProfileException("token: the link has expired; ask for a new one.", "link.expired", 410),
            LinkRedemption.Used => throw new ClientProfileException("token: the link was already used.", "link.used", 409),
            LinkRedemption.WrongChannel => throw new ClientProfileException("token: the link is for another channel.", "link.wrong_channel", 400),
            _ => throw new ClientProfileException("token: not a valid link.", "link.unknown", 404),
        };
    }
}
