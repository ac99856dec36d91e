namespace BotEngine.Handoff;

public enum AttachmentKind
{
    File,
    Picture,
}
