using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BotEngine.Channels.Messengers.Viber;

/// <summary>
/// Registers each enabled Viber bot's <c>webhookUrl</c> with set_webhook when the channel is saved (and at start),
/// without a restart. Viber checks the URL at once with a signed "webhook" callback, which the webhook answers.
/// A failed registration is shown in the channel's health and tried again after a minute.
/// </summary>
public sealed partial class ViberWebhookRegistrar(ChannelDirectory channels, ViberApi api, ChannelHealthRecorder health, ILogger<ViberWebhookRegistrar> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);
    private static readonly string[] Events = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _registered = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        channels.Changed += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var channel in channels.All.Where(c => c is { Type: ViberChannelType.TypeName, Enabled: true } && c.Setting("webhookUrl") is not null))
                {
                    if (_registered.TryGetValue(channel.Id, out var version) && version == channel.UpdatedAt)
                        continue;
                    await RegisterAsync(channel, stoppingToken);
                }
                await _wake.WaitAsync(RetryAfter, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            channels.Changed -= Wake;
        }
    }

    private void Wake() => _wake.Release();

    private async Task RegisterAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        try
        {
            await api.CallAsync(channel, "set_webhook", new JsonObject
            {
                ["url"] = channel.Setting("webhookUrl"),
                ["event_types"] = new JsonArray([.. Events.Select(e => (JsonNode)e)]),
                ["send_name"] = true,
            }, cancellationToken);
            _registered[channel.Id] = channel.UpdatedAt;
            LogRegistered(logger, channel.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, channel.Id);
            await health.FailedAsync(channel.Id, $"set_webhook: {ex.Message}", cancellationToken);
        }
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Information, Message = "Viber channel {Channel}: webhook registered")]
    private static partial void LogRegistered(ILogger logger, string channel);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "Viber channel {Channel}: registering the webhook failed; tried again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception ex, string channel);
}
