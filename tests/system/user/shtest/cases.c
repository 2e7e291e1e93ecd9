/*
 * The shell's test cases (shtest.h): a script, and exactly what must come
 * out of it.  bin/probe (tests/system/user/probe) stands in for programs
 * that are not built-ins.
 */
#include <stddef.h>
#include "shtest.h"

/* A script with loops, conditionals, functions and a here-document. */
static const char loops_sh[] =
	"#!/bin/sh\n"
	"# count to 15 the FizzBuzz way, with a function and a case\n"
	"say() {\n"
	"\tcase $(( $1 % 15 )):$(( $1 % 5 )):$(( $1 % 3 )) in\n"
	"\t0:*) echo FizzBuzz ;;\n"
	"\t*:0:*) echo Buzz ;;\n"
	"\t*:*:0) echo Fizz ;;\n"
	"\t*) echo \"$1\" ;;\n"
	"\tesac\n"
	"}\n"
	"i=1\n"
	"while [ $i -le 15 ]; do\n"
	"\tsay $i\n"
	"\ti=$((i + 1))\n"
	"done\n"
	"total=0\n"
	"for n in \"$@\"; do\n"
	"\tif [ \"$n\" -gt 100 ]; then\n"
	"\t\techo \"$n is big\"\n"
	"\t\tcontinue\n"
	"\telif [ \"$n\" -lt 0 ]; then\n"
	"\t\techo \"$n stops it\"\n"
	"\t\tbreak\n"
	"\tfi\n"
	"\ttotal=$((total + n))\n"
	"done\n"
	"echo \"total $total of $# arguments\"\n"
	"while read name count; do\n"
	"\tuntil [ \"$count\" -eq 0 ]; do\n"
	"\t\tprintf_line=\"$printf_line$name\"\n"
	"\t\tcount=$((count - 1))\n"
	"\tdone\n"
	"done <<EOF\n"
	"a 3\n"
	"b 2\n"
	"EOF\n"
	"echo \"$printf_line\"\n"
	"exit 3\n";

static const char loops_out[] = "1\n2\nFizz\n4\nBuzz\nFizz\n7\n8\nFizz\nBuzz\n"
				"11\nFizz\n13\n14\nFizzBuzz\n"
				"500 is big\n-1 stops it\n"
				"total 12 of 5 arguments\n"
				"aaabb\n";

/* 20 stages, one byte in, one line counted out. */
#define CAT4 " | probe cat | probe cat | probe cat | probe cat"

const struct sh_case sh_cases[] = {
	/* ---- quoting ---- */
	{ .name = "quoting: single, double and backslash",
	  .script = "echo 'a  b' \"c  d\" e\\ \\ f 'it'\"'\"'s' \"q\\\"x\" "
		    "\\$HOME \"\\$HOME\" '$HOME'",
	  .out = "a  b c  d e  f it's q\"x $HOME $HOME $HOME\n" },
	{ .name = "quoting: empty words are kept",
	  .script = "probe args '' \"\" x ''\"\"",
	  .out = "<>\n<>\n<x>\n<>\n" },
	{ .name = "quoting: a backslash-newline joins lines",
	  .script = "echo ab\\\ncd \\\n  ef",
	  .out = "abcd ef\n" },
	{ .name = "quoting: expansions split unless quoted",
	  .script = "x='a   b'; probe args $x \"$x\" \"$x\"$x",
	  .out = "<a>\n<b>\n<a   b>\n<a   ba>\n<b>\n" },
	{ .name = "comments",
	  .script = "echo a # a comment\n# a whole line\necho b#not 'c #'",
	  .out = "a\nb#not c #\n" },

	/* ---- variables ---- */
	{ .name = "variables: set, braces, unset, defaults, length",
	  .script = "x=1; y=${x}2; echo $x $y; unset x; "
		    "echo \"[$x]\" ${x:-dflt} ${#y}",
	  .out = "1 12\n[] dflt 2\n" },
	{ .name = "variables: export gives them to programs",
	  .script = "export A=1; B=2; probe env A; probe env B; export B; "
		    "probe env B",
	  .out = "1\n(unset)\n2\n" },
	{ .name = "variables: an assignment before a command is its own",
	  .script = "V=temp probe env V; echo \"[$V]\"; W=1; W=2 probe env W; "
		    "echo $W",
	  .out = "temp\n[]\n2\n1\n" },
	{ .name = "variables: $# $@ $* $0 $$",
	  .script = "echo $#; probe args \"$@\"; echo \"$*\"; echo $0; "
		    "test $$ -gt 0 && echo pid",
	  .args = { "name", "a b", "c" },
	  .out = "2\n<a b>\n<c>\na b c\nname\npid\n" },
	{ .name = "variables: ${x%p} ${x%%p} ${x#p} ${x##p} ${x:=v} ${x:+v}",
	  .script = "f=dir/file.tar.gz; "
		    "echo ${f%.*} ${f%%.*} ${f#*/} ${f##*.}; "
		    "echo ${n:=new} $n ${n:+alt} ${m:+alt}.",
	  .out = "dir/file.tar dir/file file.tar.gz gz\nnew new alt .\n" },
	{ .name = "variables: ${x?} stops a script",
	  .script = "echo ${nothing?is missing}; echo not reached",
	  .err = "sh: nothing: is missing\n",
	  .status = 1 },
	{ .name = "variables: read-only",
	  .script = "readonly r=1; r=2; echo $r",
	  .out = "1\n",
	  .err = "sh: r: read-only variable\n" },
	{ .name = "variables: tilde",
	  .script = "HOME=/h; echo ~ ~/x a~ \"~\"",
	  .out = "/h /h/x a~ ~\n" },
	{ .name = "variables: set -- and shift",
	  .script = "set -- a b c; shift; echo $# $1; set --; "
		    "probe args \"$@\" x",
	  .out = "2 b\n<x>\n" },

	/* ---- statuses ---- */
	{ .name = "status: $? after true, false, ! and programs",
	  .script = "true; echo $?; false; echo $?; ! true; echo $?; "
		    "probe exit 7; echo $?",
	  .out = "0\n1\n1\n7\n" },
	{ .name = "status: exit N",
	  .script = "echo before; exit 42; echo after",
	  .out = "before\n",
	  .status = 42 },
	{ .name = "status: exit without N keeps $?",
	  .script = "false; exit",
	  .status = 1 },
	{ .name = "status: the last command's, in place",
	  .script = "probe exit 9",
	  .status = 9 },
	{ .name = "status: exit in a subshell leaves only it",
	  .script = "(exit 3); echo after $?",
	  .out = "after 3\n" },

	/* ---- expansions ---- */
	{ .name = "arithmetic",
	  .script = "i=5; echo $((i * 2 + 1)) $(( (i - 1) / 2 )) $((i % 3)) "
		    "$((i > 3 && i < 10)) $((-i)) $((1 << 4 | 1)); "
		    "j=$((i += 2)); echo $i $j $((i == 7 ? 70 : 0))",
	  .out = "11 2 2 1 -5 17\n7 7 70\n" },
	{ .name = "arithmetic: division by zero",
	  .script = "echo $((1 / 0)); echo after $?",
	  .out = "after 1\n",
	  .err = "sh: 1 / 0: division by zero\n" },
	{ .name = "command substitution",
	  .script = "x=$(echo hi; echo there); echo \"$x\"; echo `echo back`; "
		    "echo \"$(echo \"nested $(echo deep)\")\"; "
		    "y=$(probe exit 4); echo $?",
	  .out = "hi\nthere\nback\nnested deep\n4\n" },
	{ .name = "pathname expansion",
	  .script = ">a1; >a2; >b1; echo a*; echo ?1; echo [ab]2 c*; "
		    "echo \"a*\" a\\*; echo ./b*",
	  .out = "a1 a2\na1 b1\na2 c*\na* a*\n./b1\n" },

	/* ---- pipelines ---- */
	{ .name = "pipeline: built-ins and programs",
	  .script = "echo one two | probe cat | probe count",
	  .out = "1\n" },
	{ .name = "pipeline: the status is the last command's",
	  .script = "probe exit 3 | probe exit 0; echo $?; "
		    "probe exit 0 | probe exit 5; echo $?; ! probe exit 0 | "
		    "probe exit 5; echo $?",
	  .out = "0\n5\n0\n" },
	{ .name = "pipeline: 20 stages",
	  .script = "echo x" CAT4 CAT4 CAT4 CAT4 " | probe cat | probe cat | "
		    "probe cat | probe count",
	  .out = "1\n" },
	{ .name = "pipeline: 500 lines from a loop",
	  .script = "i=0; while [ $i -lt 500 ]; do echo line $i; "
		    "i=$((i + 1)); done | probe count",
	  .out = "500\n" },
	{ .name = "pipeline: into while read",
	  .script = "echo 'a b\nc d' | while read x y; do echo \"$y-$x\"; "
		    "done",
	  .out = "b-a\nd-c\n" },
	{ .name = "pipeline: seq 1 1000 | grep 7 | wc -l",
	  .script = "seq 1 1000 | grep 7 | wc -l",
	  .out = "271\n",
	  .flags = NEEDS_UTILS },
	{ .name = "pipeline: the utilities with redirections",
	  .script = "seq 1 5 > n; sort -r < n | head -2; grep -c 3 n; "
		    "cat n | wc -l",
	  .out = "5\n4\n1\n5\n",
	  .flags = NEEDS_UTILS },

	/* ---- redirections ---- */
	{ .name = "redirect: > >> <",
	  .script = "echo hello > f; probe cat < f; echo more >> f; "
		    "probe cat < f; echo new > f; probe cat <f",
	  .out = "hello\nhello\nmore\nnew\n" },
	{ .name = "redirect: 2> and 2>&1",
	  .script = "probe err oops 2> e; echo \"[$(probe cat < e)]\"; "
		    "probe err both 2>&1 | probe cat; "
		    "probe err null 2>null:; echo done >&2",
	  .out = "[oops]\nboth\n",
	  .err = "done\n" },
	{ .name = "redirect: N>file and >&N",
	  .script = "echo to4 4> four >&4; probe cat < four; "
		    "{ echo a; echo b >&2; } > ab 2>&1; probe cat < ab",
	  .out = "to4\na\nb\n" },
	{ .name = "redirect: a missing file",
	  .script = "probe cat < nosuch; echo $?; echo x > /no/dir/f; echo $?",
	  .out = "1\n1\n",
	  .err = "sh: nosuch: No such file or directory\n"
		 "sh: /no/dir/f: No such file or directory\n" },
	{ .name = "redirect: here-documents",
	  .script = "x=val\nprobe cat <<EOF\nline $x\n  two \\$x\nEOF\n"
		    "probe cat <<'EOF'\nraw $x\nEOF\nprobe cat <<-EOF\n\t\ttabs"
		    "\n\tEOF\necho end",
	  .out = "line val\n  two $x\nraw $x\ntabs\nend\n" },
	{ .name = "redirect: around compound commands",
	  .script = "for i in 1 2; do echo $i; done > f; probe cat < f; "
		    "{ echo a; echo b; } | probe count; "
		    "if true; then echo c; fi >> f; probe count < f",
	  .out = "1\n2\n2\n3\n" },
	{ .name = "redirect: exec keeps them",
	  .script = "exec 4> f; echo x >&4; echo y >&4; exec 4>&-; "
		    "probe cat < f; echo z >&4",
	  .out = "x\ny\n",
	  .err = "sh: 4: bad file descriptor\n",
	  .status = 1 },
	{ .name = "redirect: descriptor 3 is ns:",
	  .script = "echo x 3> f; echo $?",
	  .out = "1\n",
	  .err = "sh: 3: descriptor 3 is the name service (ns:) in Valence; "
		 "use 0-2 or 4-9\n" },

	/* ---- lists ---- */
	{ .name = "lists: && || ;",
	  .script = "true && echo a; false && echo b; false || echo c; "
		    "true || echo d; echo e; false; echo $?",
	  .out = "a\nc\ne\n1\n" },
	{ .name = "lists: chains of && and ||",
	  .script = "false && echo x || echo y; true || echo x && echo z",
	  .out = "y\nz\n" },
	{ .name = "lists: background jobs and wait",
	  .script = "probe exit 3 & wait $!; echo $?; "
		    "probe args bg > f & wait; probe cat < f; "
		    "probe sleep 100 & kill %1; wait $!; echo $?",
	  .out = "3\n<bg>\n143\n" },
	{ .name = "lists: jobs without a terminal",
	  .script = "probe sleep 100 & jobs; kill %1; wait; fg",
	  .out = "[1]+  Running                probe sleep 100 &\n",
	  .err = "sh: fg: no job control in this shell\n",
	  .status = 1 },

	/* ---- compound commands ---- */
	{ .name = "if, elif, else",
	  .script = "for v in 1 2 3; do if [ $v = 1 ]; then echo one; "
		    "elif [ $v = 2 ]; then echo two; else echo other; fi; "
		    "done; if false; then echo no; fi; echo $?",
	  .out = "one\ntwo\nother\n0\n" },
	{ .name = "while and until",
	  .script = "i=0; while [ $i -lt 3 ]; do echo w$i; i=$((i+1)); done; "
		    "until [ $i -eq 0 ]; do i=$((i-1)); echo u$i; done",
	  .out = "w0\nw1\nw2\nu2\nu1\nu0\n" },
	{ .name = "for: words, $@, nothing",
	  .script = "for x in \"$@\"; do echo \"[$x]\"; done; "
		    "for x; do echo \"<$x>\"; done; for x in; do echo never; "
		    "done; for x in a b\ndo echo $x; done",
	  .args = { "sh", "a", "b c" },
	  .out = "[a]\n[b c]\n<a>\n<b c>\na\nb\n" },
	{ .name = "break and continue",
	  .script = "for i in 1 2 3; do for j in a b c; do "
		    "[ $j = b ] && continue; [ $i = 2 ] && continue 2; "
		    "[ $i = 3 ] && break 2; echo $i$j; done; echo end$i; "
		    "done; echo out",
	  .out = "1a\n1c\nend1\nout\n" },
	{ .name = "case",
	  .script =
		  "for w in apple banana cherry 42 '*'; do case $w in "
		  "a*) echo A;; b*|c*) echo BC;; [0-9]*) echo num;; "
		  "\\*) echo star;; esac; done; "
		  "x='*'; case abc in \"$x\") echo lit;; $x) echo glob;; esac",
	  .out = "A\nBC\nBC\nnum\nstar\nglob\n" },
	{ .name = "functions",
	  .script = "f() { echo \"f $# $1\"; return 4; }; f x y; echo $?; "
		    "g() { f \"$@\"; echo \"g $1\"; }; g q; unset -f f; f",
	  .out = "f 2 x\n4\nf 1 q\ng q\n",
	  .err = "sh: f: command not found\n",
	  .status = 127 },
	{ .name = "subshells and groups",
	  .script = "x=1; (x=2; echo $x); echo $x; { x=3; }; echo $x; "
		    "(cd /; probe pwd); probe pwd",
	  .out = "2\n1\n3\n/\n@D\n" },
	{ .name = "eval and .",
	  .script = "eval 'x=5; echo $x'; echo 'y=7; return 2; y=8' > inc; "
		    ". ./inc; echo $? $y",
	  .out = "5\n2 7\n" },
	{ .name = "set -e and set -x",
	  .script = "set -x; echo hi; set +x; set -e; false || echo ok; "
		    "if false; then :; fi; false; echo no",
	  .out = "hi\nok\n",
	  .err = "+ echo hi\n+ set +x\n",
	  .status = 1 },

	/* ---- built-ins ---- */
	{ .name = "cd and pwd; programs start where the shell is",
	  .script = "d=$(pwd); echo $d; cd /; pwd; cd $d; probe pwd; "
		    "cd nonexistent; echo $?; cd; pwd; cd -",
	  .out = "@D\n/\n@D\n1\n/\n@D\n",
	  .err = "sh: cd: nonexistent: No such file or directory\n" },
	{ .name = "echo",
	  .script = "echo -n a; echo b; echo -e 'x\\ty\\c'; echo; "
		    "echo -- -n; echo -nx",
	  .out = "ab\nx\ty\n-- -n\n-nx\n" },
	{ .name = "type",
	  .script = "type echo cd if probe nosuch",
	  .out = "echo is a shell builtin\ncd is a shell builtin\n"
		 "if is a shell keyword\nprobe is /bin/probe\n",
	  .err = "sh: type: nosuch: not found\n",
	  .status = 1 },
	{ .name = "help",
	  .script = "help cd exit",
	  .out = "cd [DIR | -]\n    changes directory: to $HOME (or /) "
		 "without DIR, to $OLDPWD with -\nexit [N]\n    leaves the "
		 "shell with status N (that of the last command)\n" },
	{ .name = "read: IFS, -r and the rest of the line",
	  .script =
		  "echo 'a:b:c d' | { IFS=: read x y; echo \"$x|$y\"; }; "
		  "echo ' one  two three ' | { read p q; echo \"[$p][$q]\"; };"
		  " echo 'back\\slash' | { read -r r; echo \"$r\"; }",
	  .out = "a|b:c d\n[one][two three]\nback\\slash\n" },
	{ .name = "test and [",
	  .script =
		  "[ -d / ] && echo dir; [ -f /bin/sh ] && echo file; "
		  "test -e /nothing || echo none; [ abc = abc -a 1 -lt 2 ] && "
		  "echo and; [ ! -n '' ] && echo empty; [ 3 -ge x ]; echo $?; "
		  "[ a; echo $?",
	  .out = "dir\nfile\nnone\nand\nempty\n2\n2\n",
	  .err = "sh: test: x: integer expected\nsh: [: missing ]\n" },
	{ .name = "exec replaces the shell",
	  .script = "exec probe args x; echo not reached",
	  .out = "<x>\n" },
	{ .name = "kill: signals by name and number",
	  .script = "probe sleep 100 & kill -9 %1; wait $!; echo $?; "
		    "probe sleep 100 & kill -s HUP $!; wait $!; echo $?; "
		    "kill -FOO 1",
	  .out = "137\n129\n",
	  .err = "sh: kill: -FOO: unknown signal\n",
	  .status = 1 },

	/* ---- errors ---- */
	{ .name = "error: unknown command",
	  .script = "nosuchcmd arg; echo $?",
	  .out = "127\n",
	  .err = "sh: nosuchcmd: command not found\n" },
	{ .name = "error: unknown command, silenced by 2>",
	  .script = "nosuch 2> e; echo $?; probe cat < e",
	  .out = "127\nsh: nosuch: command not found\n" },
	{ .name = "error: not a program",
	  .script = "echo data > f; ./f; echo $?; ./missing; echo $?; /; "
		    "echo $?",
	  .out = "126\n127\n126\n",
	  .err = "sh: ./f: Permission denied\n"
		 "sh: ./missing: No such file or directory\n"
		 "sh: /: Is a directory\n" },
	{ .name = "error: arguments over the 4 KiB block",
	  .script =
		  "x=0123456789; x=$x$x$x$x$x$x$x$x$x$x; "
		  "x=$x$x$x$x$x$x$x$x$x$x; probe args $x $x $x $x $x; echo $?; "
		  "echo $x $x $x $x $x | probe count",
	  .out = "126\n1\n",
	  .err = "sh: probe: Arg list too long\n" },
	{ .name = "error: syntax error near fi",
	  .script = "if true; then echo x; fi; fi",
	  .err = "sh: syntax error near 'fi'\n",
	  .status = 2 },
	{ .name = "error: syntax error, unexpected end",
	  .script = "if true; then echo x",
	  .err = "sh: syntax error: unexpected end of file\n",
	  .status = 2 },
	{ .name = "error: unterminated quote",
	  .script = "echo \"abc",
	  .err = "sh: syntax error: unterminated quoted string\n",
	  .status = 2 },
	{ .name = "error: lines before a syntax error run",
	  .script = "echo before\necho )\necho after",
	  .out = "before\n",
	  .err = "sh: syntax error near ')'\n",
	  .status = 2 },

	/* ---- signals ---- */
	{ .name = "signal: a NULL dereference is reported, the shell goes on",
	  .script = "probe segv; echo \"after $?\"; probe args still",
	  .out = "after 139\n<still>\n",
	  .err = "Segmentation fault\n" },
	{ .name = "signal: Terminated",
	  .script = "probe kill 15; echo $?",
	  .out = "143\n",
	  .err = "Terminated\n" },
	{ .name = "signal: SIGINT and SIGPIPE are not reported",
	  .script = "probe kill 2; echo $?; probe kill 13; echo $?",
	  .out = "130\n141\n" },

	/* ---- scripts ---- */
	{ .name = "script: loops and conditionals",
	  .args = { "loops.sh", "5", "500", "7", "-1", "9" },
	  .out = loops_out,
	  .status = 3,
	  .files = { { "loops.sh", loops_sh, 0755 } } },
	{ .name = "script: #! lines and plain scripts",
	  .script = "./shebang a 'b c'; ./plain x; ./interp y",
	  .out = "shebang a b c\nplain x\n<./interp>\n<y>\n",
	  .files = { { "shebang", "#!/bin/sh\necho shebang \"$@\"\n", 0755 },
		     { "plain", "echo plain $1\n", 0755 },
		     { "interp", "#!/bin/probe args\n", 0755 } } },
	{ .name = "script: errors name the script and line",
	  .args = { "s.sh" },
	  .out = "ok\n",
	  .err = "sh: s.sh: line 2: nosuch: command not found\n"
		 "sh: s.sh: line 4: syntax error near 'done'\n",
	  .status = 2,
	  .files = { { "s.sh", "echo ok\nnosuch\n\ndone\necho never\n",
		       0644 } } },
	{ .name = "script: commands from standard input",
	  .input = "echo from stdin\nread x\na line for read\necho \"got $x\"\n"
		   "probe cat\nfor probe\n",
	  .out = "from stdin\ngot a line for read\nfor probe\n" },
	{ .name = "script: sh -i shows the prompt with the directory",
	  .args = { "-i" },
	  .input = "echo hi\ncd /\n",
	  .out = "hi\n",
	  .err = "@D $ @D $ / $ exit\n" },
	{ .name = "fork and exec: 100 programs in a loop",
	  .script = "i=0; while [ $i -lt 100 ]; do probe exit 0 || break; "
		    "i=$((i + 1)); done; echo $i",
	  .out = "100\n" },
	{ .name = NULL },
};
