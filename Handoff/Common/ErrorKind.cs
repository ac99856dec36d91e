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
