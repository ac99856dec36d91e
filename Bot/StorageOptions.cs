namespace BotEngine.Bot;

public sealed class StorageOptions
{
    public string DataDir { get; set; } = "./data";
}
