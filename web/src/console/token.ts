const TOKEN_KEY = "civicloop.departmentToken";

/** The department's token lives in sessionStorage only: closing the tab signs the department out. */
export const savedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string | null) =>
  token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY);
