namespace BotEngine.Handoff;

public sealed record OperatorReply(string? Text, IReadOnlyList<AttachmentKind> Attachments)
{
    public static OperatorReply OfText(string text) => new(text, []);
}
