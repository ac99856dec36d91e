namespace BotEngine.Handoff;

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
