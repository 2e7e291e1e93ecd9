/* The first user program: one line on the kernel log. */
#include <valence.h>

int main(int argc, char **argv)
{
	printf("hello from user space\n");
	return 0;
}
