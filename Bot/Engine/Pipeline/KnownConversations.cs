using System.Collections.Concurrent;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// What this node last stored for a conversation: its bound account, client and open dialog. The next message of the
/// conversation is appended with these, without first reading them, by statements that change nothing unless the
/// dialog is still open in this conversation for this client; when it no longer is (closed, moved, merged, or changed
/// by another node), the message takes the full path with a fresh read. With the dialog's row as this node's last turn
/// left it, the next turn is planned before the write (see <see cref="KnownConversation.Dialog"/>).
/// </summary>
public sealed class KnownConversations
{
    /// <summary>
    /// More conversations than a node has going at once; past it the memory starts afresh (each conversation then reads
    /// its hint once more). An entry holds about 2 KB with its dialog's row (1.9-2.4 KB measured with the demo KB,
    /// <c>Bench pipeline --clients 2000 --memory</c>), so a full memory is about 40-50 MB.
    /// </summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, KnownConversation> _known = new(StringComparer.Ordinal);

    public KnownConversation? Find(string conversationId) => _known.TryGetValue(conversationId, out var known) ? known : null;

    public void Remember(string conversationId, KnownConversation known)
    {
        // Most messages find what they stored last: no write. Counting takes every lock of the dictionary, so it is
        // done only for a conversation not kept yet.
        if (_known.TryGetValue(conversationId, out var kept))
        {
            if (kept != known)
                _known[conversationId] = known;
            return;
        }
        if (_known.Count >= Capacity)
            _known.Clear();
        _known[conversationId] = known;
    }

    public void Forget(string conversationId) => _known.TryRemove(conversationId, out _);
}
