using System.Collections.Concurrent;

namespace BotEngine.Channels.Messengers;

/// <summary>
/// One of our messages may take several messenger messages (long text, files): the parts already sent are remembered,
/// so a retry after a refusal of a later part does not send the earlier ones again.
/// </summary>
public sealed class SentParts
{
    private readonly ConcurrentDictionary<string, int> _sent = new(StringComparer.Ordinal);

    public int Of(string messageId) => _sent.GetValueOrDefault(messageId);

    public void Sent(string messageId, int count) => _sent[messageId] = count;

    public void Done(string messageId) => _sent.TryRemove(messageId, out _);
}
