using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.KnowledgeBase;

/// <summary>The whole knowledge base as one JSON document: the export/import format and the demo KB format.</summary>
public sealed class KbDocument
{
    public int Version { get; set; } = 1;
    public List<RecordType> RecordTypes { get; set; } = [];
    public List<Article> Articles { get; set; } = [];
    public KbSettings Settings { get; set; } = new();
}

public sealed class RecordType
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class Article
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? RecordType { get; set; }
    /// <summary>"When the user asks": the classifier's training phrasings.</summary>
    public List<string> Questions { get; set; } = [];
    public ArticleAccess Access { get; set; } = new();
    public List<string> Topics { get; set; } = [];
    public MessagePolicy MessagePolicy { get; set; } = MessagePolicy.All;
    public List<Answer> Answers { get; set; } = [];
}

/// <summary>Where an article may be offered. An empty list means "any".</summary>
public sealed class ArticleAccess
{
    public List<string> CallCentres { get; set; } = [];
    public List<string> Languages { get; set; } = [];
    public List<string> Lines { get; set; } = [];
    public List<string> Skills { get; set; } = [];
}

[JsonConverter(typeof(JsonStringEnumConverter<MessagePolicy>))]
public enum MessagePolicy
{
    All,
    First,
    Random,
}

public sealed class Answer
{
    /// <summary>Markdown; a text starting with '/' is a command (<c>/operator [line]</c>, <c>/redirect AGENT</c>).</summary>
    public string Text { get; set; } = "";
    public List<AnswerButton> Buttons { get; set; } = [];
    public List<AnswerAttachment> Attachments { get; set; } = [];
}

public sealed class AnswerButton
{
    public string Label { get; set; } = "";
    /// <summary>Target article id; exactly one of <see cref="Article"/> and <see cref="Url"/> is set.</summary>
    public string? Article { get; set; }
    public string? Url { get; set; }
}

public sealed class AnswerAttachment
{
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public string Url { get; set; } = "";
}

public sealed class KbSettings
{
    /// <summary>Language code to the article sent when a dialog starts.</summary>
    public Dictionary<string, string> GreetingArticle { get; set; } = [];
    /// <summary>Language code to the text sent when the bot found no confident answer.</summary>
    public Dictionary<string, string> FallbackText { get; set; } = [];
    /// <summary>Language code to the text sent when the dialog is handed to operators.</summary>
    public Dictionary<string, string> HandoffText { get; set; } = [];
}

public static class KbJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static KbDocument Parse(string json) =>
        JsonSerializer.Deserialize<KbDocument>(json, Options) ?? throw new JsonException("The knowledge base document is empty.");

    public static string Write(KbDocument document) => JsonSerializer.Serialize(document, Options);
}
