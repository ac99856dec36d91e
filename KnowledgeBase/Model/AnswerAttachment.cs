namespace BotEngine.KnowledgeBase;

public sealed class AnswerAttachment
{
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    /// <summary>A link. In the KB exactly one of <see cref="Url"/> and <see cref="FileId"/> is set.</summary>
    public string? Url { get; set; }
    /// <summary>A file stored by the engine (its id from the upload); the engine serves it and links to it.</summary>
    public string? FileId { get; set; }
}
