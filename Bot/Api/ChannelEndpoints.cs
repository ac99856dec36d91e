using BotEngine.Engine.Channels;
using BotEngine.Handoff;
using BotEngine.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>
/// Channel instances configured at run time (<c>/api/v1/channels</c>): a new Telegram bot starts taking messages
/// as soon as it is saved, without a restart. Credentials are write-only.
/// </summary>
public static class ChannelEndpoints
{
    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/channels").WithTags("api");
        api.MapGet("", async (ChannelConfigurations channels, CancellationToken ct) =>
            TypedResults.Ok((await channels.ListAsync(ct)).Select(c => ToDto(c, channels)).ToList()))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapGet("/{id}", async Task<Results<Ok<ChannelDto>, NotFound>> (string id, ChannelConfigurations channels, CancellationToken ct) =>
            await channels.FindAsync(id, ct) is { } found ? TypedResults.Ok(ToDto(found, channels)) : TypedResults.NotFound())
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapPut("/{id}", async (string id, ChannelRequest? body, ChannelConfigurations channels, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await channels.SaveAsync(id, body ?? new ChannelRequest(null, null, null, null, null), ct), channels)))
            .RequirePermission(Permission.ModifyConfiguration);
        api.MapDelete("/{id}", async Task<Results<NoContent, NotFound>> (string id, ChannelConfigurations channels, CancellationToken ct) =>
            await channels.DeleteAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .RequirePermission(Permission.ModifyConfiguration);
        return app;
    }

    private static ChannelDto ToDto(ChannelInstance channel, ChannelConfigurations channels) =>
        ChannelDto.From(channel, channels.SecretsSet(channel), channels.WebhookPathOf(channel));
}
