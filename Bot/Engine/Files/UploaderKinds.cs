namespace BotEngine.Engine.Files;

/// <summary>Who put a file into the engine.</summary>
public static class UploaderKinds
{
    public const string Operator = "operator";
    public const string KbEditor = "kb_editor";
    public const string Client = "client";
    public const string KbImport = "kb_import";
}
