namespace BotEngine.KnowledgeBase;

/// <summary>A KB attachment that names a stored file, with the field path the validator would use for it.</summary>
public sealed record KbFileReference(string Path, AnswerAttachment Attachment)
{
    public string FileId => Attachment.FileId!;
}
