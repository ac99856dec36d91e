namespace BotEngine.Http;

/// <summary>Limits on what one request may carry (section <c>Limits</c>).</summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The body limit of every route that declares no larger one.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
    /// <summary>The body limit of <c>POST /api/v1/kb/import</c> (an export carries its files in base64).</summary>
    public long MaxKbImportBytes { get; set; } = 100 * 1024 * 1024;
    /// <summary>How deeply objects and arrays may nest in a JSON body.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}
