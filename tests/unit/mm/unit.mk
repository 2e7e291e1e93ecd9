UNIT_TESTS += mm/test_pmm
mm/test_pmm_SRCS := kernel/mm/pmm.c
UNIT_TESTS += mm/test_heap
mm/test_heap_SRCS := kernel/mm/heap.c kernel/mm/pmm.c
UNIT_TESTS += mm/test_vmm
mm/test_vmm_SRCS := kernel/mm/vmm.c kernel/mm/pmm.c
