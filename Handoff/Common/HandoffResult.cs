namespace BotEngine.Handoff;

/// <summary>Why an operation was refused; the host maps it to an HTTP status (see <see cref="HandoffError.HttpStatus"/>).</summary>
public enum ErrorKind
{
    /// <summary>The request itself is malformed or incomplete (400).</summary>
    Validation,
    /// <summary>The caller lacks a permission or does not own the dialog (403).</summary>
    Forbidden,
    /// <summary>A referenced operator, dialog or timer does not exist (404).</summary>
    NotFound,
    /// <summary>The entity is in a state that does not allow the operation (409).</summary>
    Conflict,
}

/// <summary>A refusal with a stable machine code (e.g. "dialog.not_owner") and a human message.</summary>
public sealed record HandoffError(ErrorKind Kind, string Code, string Message)
{
    public int HttpStatus => Kind switch
    {
        ErrorKind.Validation => 400,
        ErrorKind.Forbidden => 403,
        ErrorKind.NotFound => 404,
        _ => 409,
    };

    public static HandoffError Validation(string code, string message) => new(ErrorKind.Validation, code, message);
    public static HandoffError Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);
    public static HandoffError NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);
    public static HandoffError Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
}

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

/// <summary>Thrown only when a caller reads the value of a failed result; carries the error for the host's exception mapper.</summary>
public sealed class HandoffException(HandoffError error) : Exception($"{error.Code}: {error.Message}")
{
    public HandoffError Error { get; } = error;
}
