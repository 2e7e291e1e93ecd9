/*
 * sh: the Valence shell.  One header for all its files:
 *
 *   main.c      options, start-up, reading and running commands
 *   input.c     where command text comes from (string, file, stdin,
 *               the line editor)
 *   lex.c       text to tokens; parse.c  tokens to a tree (struct node)
 *   expand.c    words to fields: parameters, $(...), $((...)),
 *               splitting, pathnames, quotes; arith.c  $((...))
 *   match.c     patterns (case, ${x#p}, pathnames)
 *   exec.c      running the tree, redirections, command search
 *   jobs.c      the job table, waiting, the terminal, job control
 *   builtins.c  the built-in commands; test.c  test and [
 *   vars.c      variables, the environment, positional parameters
 *   edit.c      the line editor; history.c  its history
 *   util.c      memory, strings, arenas, messages
 *
 * docs/shell.md describes the language and the built-ins.
 */
#ifndef SH_H
#define SH_H

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <termios.h>

/* ---- util.c ---- */

/* Memory that never fails: the shell exits with a message instead. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable string; s is NUL-terminated once anything was added. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_addc(struct strbuf *b, char c);
void sb_adds(struct strbuf *b, const char *s);
void sb_addf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sb_take(struct strbuf *b); /* the string (never NULL); b is empty */
void sb_free(struct strbuf *b);

/* A growable array of strings, NULL-terminated. */
struct strvec {
	char **v;
	int n, cap;
};
void sv_add(struct strvec *v, char *s); /* takes s */
void sv_free(struct strvec *v);		/* frees the strings too */

/* An arena: everything one parse allocates, freed at once when the
   last reference goes (a function defined in it holds one). */
struct arena;
struct arena *arena_new(void); /* one reference */
void arena_ref(struct arena *a);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* "sh: " + message (+ script and line when running a script), stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether s is a name: [A-Za-z_][A-Za-z0-9_]*, n bytes (n < 0: all). */
int is_name(const char *s, int n);
/* Parses a decimal int with an optional sign: 0, or -1 if not one. */
int parse_int(const char *s, long *out);

/* How deep things may nest: the shell's stack is the process's 256 KiB. */
#define NEST_MAX 100 /* compound commands, ${...}, $((...)) parentheses */
#define CALL_MAX 200 /* functions, eval and . inside each other */

/* ---- the tree (parse.c) ---- */

enum redir_kind {
	R_IN,	   /* <  */
	R_OUT,	   /* >, >| */
	R_APPEND,  /* >> */
	R_RDWR,	   /* <> */
	R_DUPIN,   /* <& */
	R_DUPOUT,  /* >& */
	R_HEREDOC, /* << and <<- */
};

struct redir {
	struct redir *next;
	enum redir_kind kind;
	int fd;	      /* the descriptor redirected */
	char *target; /* the word (raw), or the here-document's body */
	int expand;   /* here-document: expand the body (unquoted word) */
	int strip;    /* <<-: leading tabs removed */
	char *delim;  /* here-document: the delimiter, quotes removed */
};

enum node_type {
	N_CMD,	    /* a simple command */
	N_PIPE,	    /* a | b | ... (also a lone !) */
	N_AND,	    /* a && b */
	N_OR,	    /* a || b */
	N_SEQ,	    /* a ; b */
	N_BG,	    /* a & */
	N_IF,	    /* if c then a else b fi (elif: b is an N_IF) */
	N_WHILE,    /* while c do a done */
	N_UNTIL,    /* until c do a done */
	N_FOR,	    /* for v in words do a done */
	N_CASE,	    /* case w in p) a;; ... esac */
	N_GROUP,    /* { a; } */
	N_SUBSHELL, /* ( a ) */
	N_FUNC,	    /* name() body */
};

struct case_item {
	struct case_item *next;
	char **patterns; /* raw words, NULL-terminated */
	struct node *body;
};

struct node {
	enum node_type type;
	int line;	      /* where it starts, for messages */
	struct redir *redirs; /* of a simple or compound command */
	const char *text;     /* source text of pipelines and & lists */
	struct arena *arena;  /* the arena it lives in */
	union {
		struct {	       /* N_CMD */
			char **words;  /* raw, NULL-terminated */
			char **assign; /* NAME=value, raw */
		} cmd;
		struct { /* N_PIPE */
			struct node **cmds;
			int n, bang;
		} pipe;
		struct { /* N_AND, N_OR, N_SEQ, N_BG (a only) */
			struct node *a, *b;
		} bin;
		struct { /* N_IF, N_WHILE, N_UNTIL */
			struct node *cond, *body, *els;
		} cond;
		struct { /* N_FOR */
			char *var;
			char **words; /* NULL: "$@" */
			struct node *body;
		} loop;
		struct { /* N_CASE */
			char *word;
			struct case_item *items;
		} cas;
		struct { /* N_GROUP, N_SUBSHELL */
			struct node *body;
		} group;
		struct { /* N_FUNC */
			char *name;
			struct node *body;
		} func;
	};
};

/* ---- lex.c ---- */

enum token {
	T_EOF,
	T_NEWLINE,
	T_WORD,
	T_IONUM, /* digits right before < or > */
	T_SEMI,
	T_DSEMI,
	T_AMP,
	T_AND,
	T_PIPE,
	T_OR,
	T_LPAREN,
	T_RPAREN,
	T_LESS,
	T_GREAT,
	T_DGREAT,
	T_CLOBBER,
	T_LESSAND,
	T_GREATAND,
	T_LESSGREAT,
	T_DLESS,
	T_DLESSDASH,
};

#define HEREDOC_PENDING_MAX 16

struct lexer {
	const char *src;
	size_t len, pos;
	int final; /* no more text can come after src */
	int line;
	struct arena *arena;
	/* the token last read */
	enum token tok;
	char *word; /* T_WORD, T_IONUM: its raw text (in the arena) */
	size_t tok_start, tok_end;
	int tok_line;
	int peeked;
	/* here-documents whose bodies start after the next newline */
	struct redir *heredocs[HEREDOC_PENDING_MAX];
	int nheredocs;
	size_t last_end;   /* where the last token taken ends */
	int depth;	   /* compound lists open */
	struct strbuf buf; /* the word or here-document being read */
	/* errors: a message and the way out */
	jmp_buf *jmp;
	char *msg;
	size_t msg_size;
};

/* Raised out of the lexer and the parser (longjmp). */
enum parse_error {
	PE_NONE,
	PE_SYNTAX,     /* msg says what */
	PE_INCOMPLETE, /* needs more text (only when !final) */
};

void lex_init(struct lexer *lx, const char *src, size_t len, int final,
	      int line, struct arena *a);
enum token lex_peek(struct lexer *lx);
enum token lex_next(struct lexer *lx);
const char *token_name(enum token t);

/* ---- parse.c ---- */

enum parse_status {
	P_OK,	      /* *out is a complete command (or NULL: blank) */
	P_EOF,	      /* nothing more */
	P_INCOMPLETE, /* more text needed */
	P_SYNTAX,     /* reported; the rest of the text is dropped */
};

/* Parses the next complete command of src[0..len) (one line's worth,
   with what it needs of the lines after it).  *consumed and *lines say
   how far it went. */
enum parse_status parse_next(const char *src, size_t len, int final, int line,
			     struct arena *a, struct node **out,
			     size_t *consumed, int *lines, char *msg,
			     size_t msg_size);
/* Reports a lexer or parser error and longjmps out (parse.c). */
__attribute__((noreturn)) void parse_fail(struct lexer *lx, enum parse_error e,
					  const char *fmt, ...);
/* Whether a raw word is NAME=..., for assignments. */
int is_assignment(const char *word);

/* ---- expand.c ---- */

/* What expand_word does. */
#define EX_SPLIT  1 /* field splitting */
#define EX_GLOB	  2 /* pathname expansion */
#define EX_TILDE  4 /* ~ at the start (and after : in assignments) */
#define EX_ASSIGN 8 /* an assignment's value: ~ after ':' too */
#define EX_FULL	  (EX_SPLIT | EX_GLOB | EX_TILDE)

/* Expands a raw word into fields added to out: 0, or -1 after an error
   (reported: ${x?}, a bad $((...)), ...). */
int expand_word(const char *raw, int flags, struct strvec *out);
/* Expands a word into one string (no splitting, no pathnames): NULL
   after an error. */
char *expand_one(const char *raw, int flags);
/* A case pattern: expanded, with quoted characters escaped for
   pattern_match. */
char *expand_pattern(const char *raw);
/* A here-document's body: $, ` and \ only. */
char *expand_heredoc(const char *body);
/* The status of the last $(...) since the last call; -1: none. */
int expand_subst_status(void);

/* ---- arith.c ---- */

/* Evaluates an arithmetic expression (already expanded): 0, or -1 with
   the error reported. */
int arith_eval(const char *expr, long *out);

/* ---- match.c ---- */

/* Whether str matches the pattern (*, ?, [...], \ quotes). */
int pattern_match(const char *pat, const char *str);
/* The length of the shortest/longest prefix (suffix) of str that pat
   matches, or -1. */
long pattern_prefix(const char *pat, const char *str, int longest);
long pattern_suffix(const char *pat, const char *str, int longest);
/* Adds the paths that match pat, sorted; returns how many. */
int glob_expand(const char *pat, struct strvec *out);

/* ---- vars.c ---- */

#define V_EXPORT   1
#define V_READONLY 2

void vars_init(char **envp);
const char *var_get(const char *name);
/* Sets a variable: 0, or -1 (reported) when it is read-only. */
int var_set(const char *name, const char *value, int flags);
int var_unset(const char *name);
int var_flags(const char *name); /* -1: unset */
void var_export(const char *name);
/* Sets NAME=value from an assignment word already expanded. */
int var_assign(const char *assignment, int flags);
/* The environment for a program: the exported variables (malloc'd). */
char **vars_environ(void);
/* Prints the variables (export -p: only exported, as export lines). */
void vars_print(int exported_only);

/* Positional parameters $1... */
struct params {
	int n;
	char **v; /* v[0] is $1 */
};
extern struct params params;
void params_set(int n, char **v);   /* copies */
void params_swap(struct params *p); /* for functions */

/* Functions. */
void func_define(const char *name, struct node *body);
struct node *func_get(const char *name);
int func_unset(const char *name);

/* ---- exec.c ---- */

/* What exec_node may do. */
#define X_NOFORK 1 /* we are a child that ends after this: exec in place */

int exec_node(struct node *n, int flags);
/* Runs a whole program text (-c, eval, .): its status. */
int exec_text(const char *text, const char *what);
/* The path of a program found through $PATH, or NULL (errno). */
char *find_in_path(const char *name);

/* ---- jobs.c ---- */

struct proc {
	pid_t pid;
	int status; /* wait status */
	int state;  /* PS_RUNNING, PS_STOPPED, PS_DONE */
};

#define PS_RUNNING 0
#define PS_STOPPED 1
#define PS_DONE	   2

struct job {
	int id; /* %id; 0: free */
	pid_t pgid;
	int nprocs;
	struct proc *procs;
	char *text;
	int notified;	 /* its end or stop was told */
	int foreground;	 /* running in the foreground */
	int saved_modes; /* tmodes holds its terminal settings */
	struct termios tmodes;
};

void jobs_init(void);
struct job *job_new(const char *text);
void job_add_proc(struct job *j, pid_t pid);
/* Waits for a foreground job to end or stop: the status to report
   (128 + signal for a killed one).  Gives the terminal back. */
int job_wait_fg(struct job *j);
/* Puts a job in the background: prints [n] pid when interactive. */
void job_background(struct job *j);
void job_free(struct job *j);
/* Reaps ended children without waiting and prints finished jobs. */
void jobs_reap(int report);
struct job *job_find(const char *spec); /* %n, %+, %-, %str, pid */
int job_continue(struct job *j, int foreground);
void jobs_print(int pids_only, int longform);
int jobs_any_stopped(void);
void jobs_hangup(void); /* at exit: SIGHUP and SIGCONT to stopped jobs */
int jobs_wait_all(void);
int job_wait(struct job *j);	     /* until it ends: its status */
const char *signal_name(int sig);    /* "INT", or NULL */
int signal_number(const char *name); /* "INT", "SIGINT", "2": -1 if not */
/* The terminal back to the shell, with its settings (job control). */
void term_take(void);
/* tcsetattr(0, TCSADRAIN, t), again after EINTR. */
int term_set_modes(const struct termios *t);

/* ---- builtins.c, test.c ---- */

typedef int (*builtin_fn)(int argc, char **argv);
struct builtin {
	const char *name;
	builtin_fn fn;
	int special; /* POSIX special built-in: assignments stay */
	const char *usage;
	const char *help;
};
const struct builtin *builtin_find(const char *name);
extern const struct builtin builtins[];
int builtin_test(int argc, char **argv);

/* ---- input.c ---- */

struct source;
/* Reads commands from a source and runs them until its end or exit:
   the last status. */
int run_source(struct source *src);
struct source *source_string(const char *name, const char *text);
struct source *source_stdin(void);
void source_exec_last(struct source *src); /* for sh -c */
void source_free(struct source *src);

/* ---- edit.c, history.c ---- */

#define EDIT_LINE_MAX 4096

struct history {
	char **lines;
	int n, max;
};

/* What edit_key returns. */
enum edit_status {
	ED_MORE,      /* go on reading keys */
	ED_DONE,      /* a line is ready in buf; the cursor is at its end */
	ED_EOF,	      /* Ctrl-D on an empty line */
	ED_INTERRUPT, /* Ctrl-C: the line is dropped */
};

struct editor {
	char buf[EDIT_LINE_MAX];
	size_t len, pos;
	const char *prompt; /* the prompt's last line, for redrawing */
	size_t prompt_cols;
	int cols; /* terminal width */
	/* escape sequences */
	int esc;
	char seq[8];
	int seqlen;
	/* history */
	struct history *hist;
	int hist_pos; /* hist->n: the line being edited */
	char *draft;  /* that line while looking at history */
	char kill[EDIT_LINE_MAX];
	size_t kill_len;
	/* Tab: adds to out what may replace buf[start, pos), the word
	   before the cursor (quoted as it must be typed); NULL: no
	   completion.  Set after edit_start. */
	void (*complete)(void *ctx, const char *buf, size_t start, size_t pos,
			 struct strvec *out);
	int tabs; /* Tabs in a row */
	/* output */
	void (*out)(void *ctx, const char *s, size_t n);
	void *ctx;
};

void edit_start(struct editor *e, const char *prompt, int cols,
		struct history *h, void (*out)(void *, const char *, size_t),
		void *ctx);
enum edit_status edit_key(struct editor *e, unsigned char c);
void edit_end(struct editor *e);

void history_init(struct history *h, int max);
void history_add(struct history *h, const char *line);
const char *history_get(const struct history *h, int i); /* 0: oldest */
void history_free(struct history *h);
extern struct history sh_history;

/* ---- the shell's state (main.c) ---- */

struct shell {
	char *arg0;	    /* $0 */
	const char *script; /* the script being read, for messages */
	int lineno;	    /* its line running now */
	int interactive;
	int jobctl;  /* job control: a terminal we can give away */
	int editing; /* the line editor on the terminal */
	int login;
	int status;	 /* $? */
	pid_t last_bg;	 /* $! */
	pid_t pid;	 /* $$ */
	pid_t pgid;	 /* the shell's own process group */
	int subshell;	 /* > 0 in a forked child of the shell */
	int opt_errexit; /* set -e */
	int opt_xtrace;	 /* set -x */
	int opt_nounset; /* set -u */
	int opt_noglob;	 /* set -f */
	int loop_depth, func_depth;
	int calls;	/* functions, eval and . running, for CALL_MAX */
	int breaking;	/* loops still to leave */
	int continuing; /* 1: the innermost loop goes on */
	int returning;	/* return ran in a function or . */
	int exiting;	/* exit ran in a construct of the shell */
	volatile sig_atomic_t interrupted; /* Ctrl-C in the shell itself */
	volatile sig_atomic_t suspended;   /* Ctrl-Z in the shell itself */
	struct termios tmodes;		   /* its terminal settings */
	int have_tmodes;
};
extern struct shell sh;

/* Ends the shell: exit traps would run here; jobs get SIGHUP. */
__attribute__((noreturn)) void sh_exit(int status);

#endif
