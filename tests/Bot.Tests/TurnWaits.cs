using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Waits for the engine to finish turns instead of sleeping: a turn's replies, the dialog's new state and the message's
/// "processed" mark commit together, so once a message is marked its turn has said all it will say.
/// </summary>
public static class TurnWaits
{
    /// <summary>Every inbound message stored so far has had its turn.</summary>
    public static Task AllProcessedAsync(IServiceProvider services, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => await services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM messages WHERE direction = 'in' AND processed_at IS NULL"), CancellationToken.None) == 0 ? true : (bool?)null, timeout);

    /// <summary>The turn of <paramref name="messageId"/> ran (or was parked for good).</summary>
    public static Task ProcessedAsync(IServiceProvider services, string messageId, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => await services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long?>(
            "SELECT processed_at FROM messages WHERE id = @messageId", new { messageId }), CancellationToken.None) is not null ? true : (bool?)null, timeout);
}
