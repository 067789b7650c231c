using System.Text.Json.Nodes;

namespace Workbench.Notebooks;

/// <summary>Kind of a notebook cell.</summary>
public enum NotebookCellType
{
    /// <summary>Executable code (<c>cell_type: code</c>).</summary>
    Code,

    /// <summary>Markdown text (<c>cell_type: markdown</c>).</summary>
    Markdown,

    /// <summary>Raw text passed through unchanged (<c>cell_type: raw</c>).</summary>
    Raw,
}

/// <summary>
/// An nbformat 4 notebook (<c>.ipynb</c>) as Polyglot Notebooks writes it for C#. Read with <see cref="Load"/> or
/// <see cref="Parse"/>, written with <see cref="ToJson"/>/<see cref="Save"/> in Jupyter's own layout (keys sorted, one-space
/// indent, <c>source</c> and text outputs as arrays of lines), so a notebook saved by Jupyter round-trips byte for byte.
/// Metadata this model does not interpret is kept as JSON and written back unchanged.
/// </summary>
public sealed class Notebook
{
    /// <summary>nbformat major version written and accepted (4).</summary>
    public const int FormatMajor = 4;

    /// <summary>Notebook-level metadata (<c>kernelspec</c>, <c>language_info</c>, <c>polyglot_notebook</c>, …).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary><c>nbformat_minor</c>; default 5 for new notebooks.</summary>
    public int FormatMinor { get; set; } = 5;

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = [];

    /// <summary>Top-level keys other than cells, metadata, nbformat and nbformat_minor, kept for the round trip.</summary>
    public JsonObject Extra { get; } = [];

    /// <summary>
    /// A new empty C# notebook for the Workbench Jupyter kernel: kernelspec <c>workbench-csharp</c> ("C# (Workbench)",
    /// installed by <c>workbench kernel install</c>) and its <c>language_info</c>; the
    /// <c>polyglot_notebook.kernelInfo</c> Polyglot Notebooks writes (default kernel <c>csharp</c>) is kept, with the
    /// per-cell Polyglot metadata, so the notebook still opens in .NET Interactive where that is installed.
    /// </summary>
    public static Notebook CreateCSharp()
    {
        var nb = new Notebook();
        nb.Metadata["kernelspec"] = new JsonObject { ["display_name"] = "C# (Workbench)", ["language"] = "csharp", ["name"] = "workbench-csharp" };
        nb.Metadata["language_info"] = new JsonObject
        {
            ["codemirror_mode"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["mimetype"] = "text/x-csharp",
            ["name"] = "csharp",
            ["pygments_lexer"] = "csharp",
            ["version"] = "14.0",
        };
        nb.Metadata["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        };
        return nb;
    }

    /// <summary>Reads the notebook at <paramref name="path"/>; malformed content throws <see cref="NotebookFormatException"/> naming the file.</summary>
    public static Notebook Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, null, $"cannot read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses notebook JSON; <paramref name="sourceName"/> (a path or name) appears in error messages.</summary>
    public static Notebook Parse(string json, string sourceName) => NotebookJson.Read(json, sourceName);

    /// <summary>The notebook as Jupyter-style JSON (sorted keys, one-space indent, trailing newline).</summary>
    public string ToJson() => NotebookJson.Write(this);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (UTF-8, no BOM), creating the folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        Workbench.Data.SafeFile.WriteAllText(path, ToJson(), new System.Text.UTF8Encoding(false));
    }

    /// <summary>A deep copy (used to fill outputs without touching the source notebook).</summary>
    public Notebook Clone() => Parse(ToJson(), "(clone)");
}

/// <summary>One cell of a <see cref="Notebook"/>.</summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell of <paramref name="type"/> with <paramref name="source"/>.</summary>
    public NotebookCell(NotebookCellType type, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CellType = type;
        Source = source;
    }

    /// <summary>Code, markdown or raw.</summary>
    public NotebookCellType CellType { get; set; }

    /// <summary>The cell text (lines joined; newlines kept).</summary>
    public string Source { get; set; }

    /// <summary>The nbformat 4.5 cell <c>id</c>, when present.</summary>
    public string? Id { get; set; }

    /// <summary>Cell metadata (for C#: <c>dotnet_interactive.language</c> and <c>polyglot_notebook.kernelName</c>).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>Code cells: the execution count, null when not run.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Code cells: the outputs of the last run.</summary>
    public List<NotebookOutput> Outputs { get; } = [];

    /// <summary>Cell keys this model does not know (e.g. <c>attachments</c>), kept for the round trip.</summary>
    public JsonObject Extra { get; } = [];

    /// <summary>
    /// The kernel the cell is for, from <c>metadata.polyglot_notebook.kernelName</c> or else
    /// <c>metadata.dotnet_interactive.language</c>; null when neither is set (the notebook's default kernel applies).
    /// </summary>
    public string? KernelName =>
        (Metadata["polyglot_notebook"] as JsonObject)?["kernelName"] is JsonValue k && k.TryGetValue<string>(out var name) ? name
        : (Metadata["dotnet_interactive"] as JsonObject)?["language"] is JsonValue l && l.TryGetValue<string>(out var lang) ? lang
        : null;

    /// <summary>A C# code cell with the Polyglot cell metadata.</summary>
    public static NotebookCell CSharp(string source) => new(NotebookCellType.Code, source)
    {
        Metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        },
    };

    /// <summary>A markdown cell.</summary>
    public static NotebookCell Markdown(string source) => new(NotebookCellType.Markdown, source);
}
