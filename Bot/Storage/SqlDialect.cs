using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotEngine.Storage;

public enum SqlDialect
{
    Sqlite,
    Postgres,
}
