namespace BotEngine.Http;

/// <summary>Why an upload was refused: the HTTP status and a message that names the part.</summary>
public sealed record UploadProblem(int Status, string Message);
