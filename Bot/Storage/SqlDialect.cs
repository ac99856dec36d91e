namespace BotEngine.Storage;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}
