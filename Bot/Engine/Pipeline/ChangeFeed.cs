using System.Threading.Channels;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// In-process fan-out of what was committed, for live pages and long polls. Subscribers that fall behind
/// lose the oldest events (the database stays the source of truth; a feed event is only a nudge).
/// </summary>
public sealed class ChangeFeed
{
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = new([]);

    public Subscription Subscribe(int capacity = 1024)
    {
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
            _subscribers = new([.. _subscribers.Items, channel]);
        return new Subscription(this, channel);
    }

    public void Publish(FeedEvent feedEvent)
    {
        foreach (var channel in _subscribers.Items)
            channel.Writer.TryWrite(feedEvent);
    }

    private void Remove(Channel<FeedEvent> channel)
    {
        lock (_gate)
            _subscribers = new([.. _subscribers.Items.Where(c => c != channel)]);
        channel.Writer.TryComplete();
    }

    private sealed record ImmutableSubscribers(Channel<FeedEvent>[] Items);

    public sealed class Subscription(ChangeFeed feed, Channel<FeedEvent> channel) : IDisposable
    {
        public ChannelReader<FeedEvent> Reader => channel.Reader;

        public void Dispose() => feed.Remove(channel);
    }
}
