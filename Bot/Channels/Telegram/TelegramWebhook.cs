using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotEngine.Engine.Channels;
using BotEngine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Telegram's webhook: <c>POST /channels/telegram/{channel}/webhook</c>. Only a request that carries the channel's
/// secret in X-Telegram-Bot-Api-Secret-Token is read; anything else is refused before it is stored.
/// </summary>
public static class TelegramWebhook
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static string PathOf(string channel) => $"/channels/telegram/{Uri.EscapeDataString(channel)}/webhook";

    public static void MapTelegramWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost("/channels/telegram/{channel}/webhook", ReceiveAsync)
            .ExcludeFromDescription()
            .AllowPublic("Telegram's webhook: authenticated by the channel's secret token header");

    private static async Task<IResult> ReceiveAsync(string channel, HttpRequest request, ChannelDirectory channels, TelegramInbound inbound, CancellationToken ct)
    {
        if (channels.Find(channel) is not { Type: TelegramChannelType.TypeName, Enabled: true } instance
            || instance.Setting("mode") != TelegramChannelType.Webhook || instance.Setting("webhookSecret") is not { } secret)
            return Results.Problem(statusCode: 404, detail: $"There is no enabled Telegram channel '{channel}' in webhook mode.");
        if (!request.Headers.TryGetValue(SecretHeader, out var given) || !SameSecret(given.ToString(), secret))
            return Results.Problem(statusCode: 401, detail: $"The {SecretHeader} header is missing or wrong.");

        Update? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<Update>(request.Body, JsonBotAPI.Options, ct);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, detail: $"The body is not a Telegram update: {ex.Message}");
        }
        if (update is null)
            return Results.Problem(statusCode: 400, detail: "The body is not a Telegram update: null.");
        // Answered only after the update is stored: a failure here makes Telegram send it again.
        await inbound.AcceptAsync(instance, update, ct);
        return Results.Ok();
    }

    private static bool SameSecret(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
