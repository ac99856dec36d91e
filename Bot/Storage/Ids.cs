namespace BotEngine.Storage;

public static class Ids
{
    /// <summary>Time-ordered ids keep B-tree inserts local and make ids sort by creation.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
