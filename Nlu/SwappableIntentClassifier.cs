namespace BotEngine.Nlu;

/// <summary>
/// The classifier the engine holds on to. <see cref="Swap"/> replaces the model with one reference write:
/// a request already inside <see cref="Predict"/> finishes on the model it started with, the next one sees the new
/// model, and no request ever waits or fails because of a swap.
/// </summary>
public sealed class SwappableIntentClassifier : IIntentClassifier
{
    private IIntentClassifier _current;
    private long _version;

    public SwappableIntentClassifier(IIntentClassifier initial)
    {
        _current = initial ?? throw new ArgumentNullException(nameof(initial));
    }

    public IIntentClassifier Current => Volatile.Read(ref _current);

    /// <summary>Incremented on every swap; lets callers tell which model answered.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IntentPrediction Predict(string text, int topK = 3) => Volatile.Read(ref _current).Predict(text, topK);

    /// <summary>Installs <paramref name="next"/> and returns the model it replaced.</summary>
    public IIntentClassifier Swap(IIntentClassifier next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var previous = Interlocked.Exchange(ref _current, next);
        Interlocked.Increment(ref _version);
        return previous;
    }
}
