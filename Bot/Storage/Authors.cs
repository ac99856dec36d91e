namespace BotEngine.Storage;

public static class Authors
{
    public const string Client = "client";
    public const string Bot = "bot";
    public const string Operator = "operator";
    public const string System = "system";
}
