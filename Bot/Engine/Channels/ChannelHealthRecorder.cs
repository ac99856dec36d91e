using System.Collections.Concurrent;
using System.Data.Common;
using BotEngine.Storage;
using BotEngine.Storage.Channels;

namespace BotEngine.Engine.Channels;

/// <summary>
/// Records the last inbound message, delivery and delivery error of configured channels. Successes are written at
/// most once per <see cref="Every"/> per channel (a busy bot would otherwise add a write to every message); errors always.
/// Health is advisory: a write that fails is dropped rather than failing the message it describes.
/// </summary>
public sealed class ChannelHealthRecorder(ChannelStore store, ChannelDirectory directory, TimeProvider time)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<(string, bool), long> _lastWritten = new();

    public Task InboundAsync(string channel, CancellationToken cancellationToken) =>
        Due(channel, inbound: true) is { } now ? Advisory(store.RecordInboundAsync(channel, now, cancellationToken)) : Task.CompletedTask;

    public Task DeliveredAsync(string channel, CancellationToken cancellationToken) =>
        Due(channel, inbound: false) is { } now ? Advisory(store.RecordDeliveryAsync(channel, now, cancellationToken)) : Task.CompletedTask;

    public Task FailedAsync(string channel, string error, CancellationToken cancellationToken) =>
        directory.Find(channel) is null ? Task.CompletedTask
            : Advisory(store.RecordErrorAsync(channel, error.Length <= 500 ? error : error[..500], time.NowMicros(), cancellationToken));

    private static async Task Advisory(Task write)
    {
        try
        {
            await write;
        }
        catch (DbException)
        {
        }
    }

    private long? Due(string channel, bool inbound)
    {
        if (directory.Find(channel) is null)
            return null;
        var now = time.NowMicros();
        var last = _lastWritten.GetValueOrDefault((channel, inbound), long.MinValue / 2);
        if (now - last < (long)Every.TotalMicroseconds)
            return null;
        _lastWritten[(channel, inbound)] = now;
        return now;
    }
}
