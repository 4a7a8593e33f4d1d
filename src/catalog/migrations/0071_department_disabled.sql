-- Departments the municipal administrator has disabled: hidden from the choices of new work
-- (a service's department, a staff member's), shown as disabled on the departments page, and
-- enabled again by deleting the row. Disabling is refused while the department has open cases or
-- live services (the page checks and names them).
CREATE TABLE department_disabled (
  department_id BIGINT PRIMARY KEY REFERENCES departments (id),
  municipality_id BIGINT NOT NULL,
  disabled_at BIGINT NOT NULL
);
