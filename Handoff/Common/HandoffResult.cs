namespace BotEngine.Handoff;

/// <summary>Either a value or an error; domain refusals are values, not exceptions, so the host decides the response.</summary>
public readonly struct HandoffResult<T>
{
    private readonly T? _value;

    private HandoffResult(T? value, HandoffError? error)
    {
        _value = value;
        Error = error;
    }

    public HandoffError? Error { get; }

    public bool IsSuccess => Error is null;

    /// <summary>The value; throws <see cref="HandoffException"/> when the result is an error.</summary>
    public T Value => Error is null ? _value! : throw new HandoffException(Error);

    public static HandoffResult<T> Ok(T value) => new(value, null);

    public static HandoffResult<T> Fail(HandoffError error) => new(default, error);

    public static implicit operator HandoffResult<T>(T value) => Ok(value);

    public static implicit operator HandoffResult<T>(HandoffError error) => Fail(error);

    public HandoffResult<TOut> Map<TOut>(Func<T, TOut> map) =>
        Error is null ? HandoffResult<TOut>.Ok(map(_value!)) : HandoffResult<TOut>.Fail(Error);
}
