namespace BotEngine.Engine.Files;

/// <summary>A file about to be stored: checked, named, hashed.</summary>
public sealed record NewFile(string Id, string Name, string ContentType, byte[] Content, string Sha256)
{
    public bool IsImage => FileRules.IsInlineImage(ContentType);
}
